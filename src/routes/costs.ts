// /api/v1/costs: a project's spend for a range, grouped and bucketed; and the same across an org's projects for its
// owners and admins (/api/orgs/:org/costs).
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { orgAccess, projectAccess, requireUser } from "../auth/middleware.ts";
import { cacheSavings } from "../costs/savings.ts";
import { builtinPrices, projectOverrides } from "../costs/table.ts";
import { type Database, database } from "../db/client.ts";
import { cacheHitsQuery } from "../db/queries/cache-savings.ts";
import {
  type CostParams,
  costParams,
  costQuery,
  costTotalsQuery,
  isTimeGroup,
  unknownModelsQuery,
} from "../db/queries/costs.ts";
import { projects } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { valid } from "../lib/validate.ts";

async function costReport(db: Database, projectIds: string[], p: CostParams) {
  const [groups, series, [totals], unknown, hits] = await Promise.all([
    costQuery(db, projectIds, p, false),
    isTimeGroup(p.group_by) ? Promise.resolve([]) : costQuery(db, projectIds, p, true),
    costTotalsQuery(db, projectIds, p),
    unknownModelsQuery(db, projectIds, p),
    cacheHitsQuery(db, projectIds, p),
  ]);
  // The gateway's cache hits cost nothing: priced here as the calls they replaced (prices read only when there are hits).
  const prices = hits.length
    ? await Promise.all([projectOverrides(db, projectIds), builtinPrices(db)])
    : ([new Map(), []] as const);
  // With no rows at all, SQL sums are NULL: report zeros.
  const total = (n: number | null | undefined) => n ?? 0;
  const byTime = (a: { bucket: number | null }, b: { bucket: number | null }) => total(a.bucket) - total(b.bucket);
  return {
    from: p.from,
    to: p.to,
    group_by: p.group_by,
    interval: p.interval,
    totals: {
      cost: total(totals?.cost),
      input_tokens: total(totals?.input_tokens),
      output_tokens: total(totals?.output_tokens),
      cached_input_tokens: total(totals?.cached_input_tokens),
      calls: total(totals?.calls),
      unpriced_calls: total(totals?.unpriced_calls),
    },
    groups: groups.map(({ bucket: _, ...g }) => g),
    // Time groupings are their own series (the key is the bucket).
    series: isTimeGroup(p.group_by)
      ? groups.map((g) => ({ ...g, bucket: Number(g.key) })).sort(byTime)
      : series.sort(byTime),
    unknown_models: unknown,
    cache_savings: cacheSavings(hits, prices[0], prices[1]),
  };
}

export const costsRoute = new Hono<AppEnv>().get(
  "/",
  projectAccess("viewer", "read costs"),
  valid("query", costParams),
  async (c) => c.json(await costReport(database(c.env.DB), [c.var.project.projectId], c.req.valid("query"))),
);

export const orgCostsRoute = new Hono<AppEnv>().get(
  "/:org/costs",
  requireUser,
  orgAccess("admin", "see the org's costs"),
  valid("query", costParams),
  async (c) => {
    const db = database(c.env.DB);
    const ids = (
      await db
        .select({ id: projects.id })
        .from(projects)
        .where(eq(projects.orgId, c.req.param("org")))
    ).map((r) => r.id);
    return c.json(await costReport(db, ids, c.req.valid("query")));
  },
);
