// /api/v1/costs: a project's spend for a range, grouped and bucketed; and the same across an org's projects for its
// owners and admins (/api/orgs/:org/costs).
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { orgAccess, projectAccess, requireUser } from "../auth/middleware.ts";
import { database, type Database } from "../db/client.ts";
import { costParams, type CostParams, costQuery, costTotalsQuery, isTimeGroup, unknownModelsQuery } from "../db/queries/costs.ts";
import { projects } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { valid } from "../lib/validate.ts";

async function costReport(db: Database, projectIds: string[], p: CostParams) {
  const [groups, series, [totals], unknown] = await Promise.all([
    costQuery(db, projectIds, p, false),
    isTimeGroup(p.group_by) ? Promise.resolve([]) : costQuery(db, projectIds, p, true),
    costTotalsQuery(db, projectIds, p),
    unknownModelsQuery(db, projectIds, p),
  ]);
  const { key: _all, bucket: _none, ...sums } = totals ?? { key: null, bucket: null, cost: 0, input_tokens: 0, output_tokens: 0, cached_input_tokens: 0, calls: 0, unpriced_calls: 0 };
  return {
    from: p.from,
    to: p.to,
    group_by: p.group_by,
    interval: p.interval,
    totals: { cost: sums.cost ?? 0, input_tokens: sums.input_tokens ?? 0, output_tokens: sums.output_tokens ?? 0, cached_input_tokens: sums.cached_input_tokens ?? 0, calls: sums.calls ?? 0, unpriced_calls: sums.unpriced_calls ?? 0 },
    groups: groups.map(({ bucket: _, ...g }) => g),
    series: isTimeGroup(p.group_by) ? groups.map(({ key, ...g }) => ({ ...g, bucket: Number(key), key })) .sort((a, b) => a.bucket - b.bucket) : series.sort((a, b) => a.bucket! - b.bucket!),
    unknown_models: unknown,
  };
}

export const costsRoute = new Hono<AppEnv>().get("/", projectAccess("viewer", "read costs"), valid("query", costParams), async (c) =>
  c.json(await costReport(database(c.env.DB), [c.var.project.projectId], c.req.valid("query"))),
);

export const orgCostsRoute = new Hono<AppEnv>().get("/:org/costs", requireUser, orgAccess("admin", "see the org's costs"), valid("query", costParams), async (c) => {
  const db = database(c.env.DB);
  const ids = (await db.select({ id: projects.id }).from(projects).where(eq(projects.orgId, c.req.param("org")))).map((r) => r.id);
  return c.json(await costReport(db, ids, c.req.valid("query")));
});
