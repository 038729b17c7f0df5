// /api/v1/costs: a project's spend for a range, grouped and bucketed; and the same across an org's projects for its
// owners and admins (/api/orgs/:org/costs).
import { eq } from "drizzle-orm";
import { PAGE_LIMITS } from "../../contract/limits.ts";
import { Hono } from "hono";
import { orgAccess, projectAccess, projectData, requireUser } from "../auth/middleware.ts";
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
import { shardDatabase } from "../db/shards.ts";
import type { AppEnv } from "../env.ts";
import { valid } from "../lib/validate.ts";

/** Some projects and the data database they live on. */
type Slice = { db: Database; projectIds: string[] };

type Sums = {
  cost: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_input_tokens: number | null;
  calls: number | null;
  unpriced_calls: number | null;
};
const SUMMED = ["cost", "input_tokens", "output_tokens", "cached_input_tokens", "calls", "unpriced_calls"] as const;

/** Rows of several shards added up per `keys` (a project lives on one shard; an org's projects may span several). */
function addUp<R extends Sums>(rows: R[], keys: ReadonlyArray<keyof R>): R[] {
  const out = new Map<string, R>();
  for (const row of rows) {
    const id = JSON.stringify(keys.map((k) => row[k]));
    const seen = out.get(id);
    if (!seen) out.set(id, { ...row });
    else for (const k of SUMMED) if (row[k] !== null) (seen[k] as number | null) = (seen[k] ?? 0) + row[k];
  }
  return [...out.values()];
}

async function costReport(control: Database, slices: Slice[], p: CostParams) {
  // Across shards each one's top groups are summed before the top `limit` is taken: ask each for as many as allowed.
  const perShardGroups = slices.length > 1 ? { ...p, limit: PAGE_LIMITS.costGroups.max } : p;
  const perShard = await Promise.all(
    slices.map(({ db, projectIds }) =>
      Promise.all([
        costQuery(db, projectIds, perShardGroups, false),
        isTimeGroup(p.group_by) ? Promise.resolve([]) : costQuery(db, projectIds, p, true),
        costTotalsQuery(db, projectIds, p),
        unknownModelsQuery(db, projectIds, p),
        cacheHitsQuery(db, projectIds, p),
      ]),
    ),
  );
  const byCost = (a: { cost: number | null }, b: { cost: number | null }) => (b.cost ?? 0) - (a.cost ?? 0);
  const groups = addUp(
    perShard.flatMap((s) => s[0]),
    ["key"],
  )
    .sort(byCost)
    .slice(0, p.limit);
  const series = addUp(
    perShard.flatMap((s) => s[1]),
    ["key", "bucket"],
  );
  const [totals] = addUp(
    perShard.flatMap((s) => s[2]),
    ["key"],
  );
  const unknown = [...perShard.flatMap((s) => s[3])]
    .reduce(
      (acc, m) => {
        const seen = acc.find((x) => x.model === m.model && x.provider === m.provider);
        if (seen) seen.calls += m.calls;
        else acc.push({ ...m });
        return acc;
      },
      [] as Array<{ model: string; provider: string; calls: number }>,
    )
    .sort((a, b) => b.calls - a.calls);
  const hits = perShard.flatMap((s) => s[4]);
  const projectIds = slices.flatMap((s) => s.projectIds);
  // The gateway's cache hits cost nothing: priced here as the calls they replaced (prices read only when there are hits).
  const prices = hits.length
    ? await Promise.all([projectOverrides(control, projectIds), builtinPrices(control)])
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
  async (c) =>
    c.json(
      await costReport(
        database(c.env.DB),
        [{ db: projectData(c), projectIds: [c.var.project.projectId] }],
        c.req.valid("query"),
      ),
    ),
);

export const orgCostsRoute = new Hono<AppEnv>().get(
  "/:org/costs",
  requireUser,
  orgAccess("admin", "see the org's costs"),
  valid("query", costParams),
  async (c) => {
    const db = database(c.env.DB);
    const rows = await db
      .select({ id: projects.id, shard: projects.shard })
      .from(projects)
      .where(eq(projects.orgId, c.req.param("org")));
    const slices = [...new Set(rows.map((r) => r.shard))].map((shard) => ({
      db: database(shardDatabase(c.env, shard)),
      projectIds: rows.filter((r) => r.shard === shard).map((r) => r.id),
    }));
    return c.json(await costReport(db, slices, c.req.valid("query")));
  },
);
