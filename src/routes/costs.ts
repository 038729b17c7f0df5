// /api/v1/costs: a project's spend for a range, grouped and bucketed; and the same across an org's projects for its
// owners and admins (/api/orgs/:org/costs).
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import type { CostGroupRow, CostSeriesPoint } from "../../contract/costs.ts";
import { orgAccess, projectAccess, requireUser } from "../auth/middleware.ts";
import { resolveRates } from "../costs/enrich.ts";
import { builtinPrices, projectOverrides } from "../costs/table.ts";
import { type Database, database } from "../db/client.ts";
import {
  type CostParams,
  costParams,
  costQuery,
  costTotalsQuery,
  isTimeGroup,
  modelNameSums,
  unknownModelsQuery,
} from "../db/queries/costs.ts";
import { projects } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { valid } from "../lib/validate.ts";

type Sums = Omit<CostGroupRow, "key" | "models">;
type NameRow = Awaited<ReturnType<typeof modelNameSums>>[number];

const SUMMED = ["cost", "input_tokens", "output_tokens", "cached_input_tokens", "calls", "unpriced_calls"] as const;

function add(into: Sums, row: Sums) {
  for (const k of SUMMED) into[k] = (into[k] ?? 0) + (row[k] ?? 0);
}

/**
 * `group_by=model`: one group per price, not per spelling. A dated snapshot and its base name (`gpt-4o-mini`,
 * `gpt-4o-mini-2024-07-18`) match one price, so they add up under that price's model name, with the names as sent in
 * `models`; a name no price matches stays a group of its own.
 */
async function costsByMatchedModel(db: Database, projectIds: string[], p: CostParams) {
  const [rows, perBucket, builtin, overrides] = await Promise.all([
    modelNameSums(db, projectIds, p, false),
    modelNameSums(db, projectIds, p, true),
    builtinPrices(db),
    projectOverrides(db, projectIds),
  ]);
  const names = new Map<string, string>();
  const nameOf = (r: NameRow) => {
    const id = `${r.project}\u0000${r.model}\u0000${r.provider}`;
    let name = names.get(id);
    if (name === undefined) {
      const own = overrides.get(r.project) ?? [];
      name = (r.model && resolveRates(r.model, r.provider || null, p.to - 1, own, builtin)?.price.model) || r.model;
      names.set(id, name);
    }
    return name;
  };
  const groups = new Map<string, CostGroupRow & { models: string[] }>();
  for (const r of rows) {
    const key = nameOf(r);
    let g = groups.get(key);
    if (!g) {
      g = {
        key,
        cost: 0,
        input_tokens: 0,
        output_tokens: 0,
        cached_input_tokens: 0,
        calls: 0,
        unpriced_calls: 0,
        models: [],
      };
      groups.set(key, g);
    }
    add(g, r);
    if (!g.models.includes(r.model)) g.models.push(r.model);
  }
  const series = new Map<string, CostSeriesPoint>();
  for (const r of perBucket) {
    const key = nameOf(r);
    const id = `${key}\u0000${r.bucket}`;
    let point = series.get(id);
    if (!point) {
      point = {
        key,
        bucket: Number(r.bucket),
        cost: 0,
        input_tokens: 0,
        output_tokens: 0,
        cached_input_tokens: 0,
        calls: 0,
        unpriced_calls: 0,
      };
      series.set(id, point);
    }
    add(point, r);
  }
  return {
    groups: [...groups.values()]
      .map((g) => ({ ...g, models: g.models.sort() }))
      .sort((a, b) => b.cost - a.cost)
      .slice(0, p.limit),
    series: [...series.values()],
  };
}

async function costReport(db: Database, projectIds: string[], p: CostParams) {
  const byName = p.group_by === "model";
  const [grouped, [totals], unknown] = await Promise.all([
    byName
      ? costsByMatchedModel(db, projectIds, p)
      : Promise.all([
          costQuery(db, projectIds, p, false),
          isTimeGroup(p.group_by) ? Promise.resolve([]) : costQuery(db, projectIds, p, true),
        ]).then(([groups, series]) => ({
          groups: groups.map(({ bucket: _, ...g }) => g),
          // Time groupings are their own series (the key is the bucket).
          series: isTimeGroup(p.group_by) ? groups.map((g) => ({ ...g, bucket: Number(g.key) })) : series,
        })),
    costTotalsQuery(db, projectIds, p),
    unknownModelsQuery(db, projectIds, p),
  ]);
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
    groups: grouped.groups,
    series: grouped.series.sort(byTime),
    unknown_models: unknown,
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
