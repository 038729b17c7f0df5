// /api/v1/costs: a project's spend for a range, grouped and bucketed; and the same across an org's projects for its
// owners and admins (/api/orgs/:org/costs).
import { Hono } from "hono";
import type { CostGroupRow, CostSeriesPoint } from "../../contract/costs.ts";
import { type CostParams, costParams } from "../../contract/costs.ts";
import { PAGE_LIMITS } from "../../contract/limits.ts";
import { orgAccess, projectAccess, projectData, requireUser } from "../auth/middleware.ts";
import { resolveRates } from "../costs/enrich.ts";
import { cacheSavings } from "../costs/savings.ts";
import { builtinPrices, projectOverrides } from "../costs/table.ts";
import type { ModelPrices } from "../costs/types.ts";
import { type ControlDb, controlDb, type DataDb, dataDb } from "../db/client.ts";
import { cacheHitsQuery } from "../db/queries/cache-savings.ts";
import { costQuery, costTotalsQuery, isTimeGroup, modelNameSums, unknownModelsQuery } from "../db/queries/costs.ts";
import { orgPlacements } from "../db/queries/placement.ts";
import { shardDatabase } from "../db/shards.ts";
import type { AppEnv } from "../env.ts";
import { answer } from "../lib/answer.ts";
import { valid } from "../lib/validate.ts";

/** Some projects and the data database they live on. */
type Slice = { db: DataDb; projectIds: string[] };

type Sums = Omit<CostGroupRow, "key" | "models">;
type Totals = { [K in keyof Sums]: number };
type Nullable<T> = { [K in keyof T]: T[K] | null };
type NameRow = Awaited<ReturnType<typeof modelNameSums>>[number];
type Prices = [Map<string, ModelPrices[]>, ModelPrices[]];

const SUMMED = ["cost", "input_tokens", "output_tokens", "cached_input_tokens", "calls", "unpriced_calls"] as const;
const zero = (): Totals => ({
  cost: 0,
  input_tokens: 0,
  output_tokens: 0,
  cached_input_tokens: 0,
  calls: 0,
  unpriced_calls: 0,
});

function add(into: Sums, row: Nullable<Sums>) {
  for (const k of SUMMED) into[k] += row[k] ?? 0;
}

/** Rows added up per key (a project lives on one shard; an org's projects may span several). */
function addUp<R extends Nullable<Sums>, S extends Sums>(rows: R[], id: (r: R) => string, init: (r: R) => S): S[] {
  const out = new Map<string, S>();
  for (const row of rows) {
    const key = id(row);
    let into = out.get(key);
    if (!into) {
      into = init(row);
      out.set(key, into);
    }
    add(into, row);
  }
  return [...out.values()];
}

/**
 * `group_by=model`: one group per price, not per spelling. A dated snapshot and its base name (`gpt-4o-mini`,
 * `gpt-4o-mini-2024-07-18`) match one price, so they add up under that price's model name, with the names as sent in
 * `models`; a name no price matches stays a group of its own.
 */
function byMatchedModel(rows: NameRow[], perBucket: NameRow[], [overrides, builtin]: Prices, p: CostParams) {
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
  const groups = addUp(rows, nameOf, (r): CostGroupRow & { models: string[] } => ({
    key: nameOf(r),
    ...zero(),
    models: [],
  }));
  const byKey = new Map(groups.map((g) => [g.key, g]));
  for (const r of rows) {
    const g = byKey.get(nameOf(r))!;
    if (!g.models.includes(r.model)) g.models.push(r.model);
  }
  return {
    groups: groups.map((g) => ({ ...g, models: g.models.sort() })),
    series: addUp(
      perBucket,
      (r) => `${nameOf(r)}\u0000${r.bucket}`,
      (r): CostSeriesPoint => ({ key: nameOf(r), bucket: Number(r.bucket), ...zero() }),
    ),
  };
}

async function costReport(control: ControlDb, slices: Slice[], p: CostParams) {
  const each = async <T>(run: (s: Slice) => Promise<T[]>) => (await Promise.all(slices.map(run))).flat();
  const projectIds = slices.flatMap((s) => s.projectIds);
  const readPrices = () =>
    Promise.all([projectOverrides(control, projectIds), builtinPrices(control)]) as Promise<Prices>;
  // Across shards each one's top groups are summed before the top `limit` is taken: ask each for as many as allowed.
  const perShard = slices.length > 1 ? { ...p, limit: PAGE_LIMITS.costGroups.max } : p;
  const byName = p.group_by === "model";
  const [grouped, totals, unknown, hits, namePrices] = await Promise.all([
    byName
      ? Promise.all([
          each((s) => modelNameSums(s.db, s.projectIds, p, false)),
          each((s) => modelNameSums(s.db, s.projectIds, p, true)),
        ])
      : Promise.all([
          each((s) => costQuery(s.db, s.projectIds, perShard, false)),
          isTimeGroup(p.group_by) ? [] : each((s) => costQuery(s.db, s.projectIds, p, true)),
        ]),
    each((s) => costTotalsQuery(s.db, s.projectIds, p)),
    each((s) => unknownModelsQuery(s.db, s.projectIds, p)),
    each((s) => cacheHitsQuery(s.db, s.projectIds, p)),
    byName ? readPrices() : undefined,
  ]);
  // The gateway's cache hits cost nothing: priced here as the calls they replaced (prices read only when needed).
  const prices = namePrices ?? (hits.length ? await readPrices() : ([new Map(), []] as Prices));
  const { groups, series } = byName
    ? byMatchedModel(grouped[0] as NameRow[], grouped[1] as NameRow[], prices, p)
    : (() => {
        const rows = grouped[0] as Awaited<ReturnType<typeof costQuery>>;
        const groups = addUp(
          rows,
          (r) => String(r.key),
          (r): CostGroupRow => ({ key: r.key, ...zero() }),
        );
        return {
          groups,
          // Time groupings are their own series (the key is the bucket).
          series: isTimeGroup(p.group_by)
            ? groups.map((g) => ({ ...g, bucket: Number(g.key) }))
            : addUp(
                grouped[1] as typeof rows,
                (r) => `${r.key}\u0000${r.bucket}`,
                (r): CostSeriesPoint => ({ key: r.key, bucket: Number(r.bucket), ...zero() }),
              ),
        };
      })();
  // With no rows at all, SQL sums are NULL: zeros are reported.
  // Every sum counts from zero here, unpriced calls included (a group may leave them null; the total never does).
  const total: Totals = addUp(totals, () => "all", zero)[0] ?? zero();
  const unknownModels = new Map<string, { model: string; provider: string; calls: number }>();
  for (const m of unknown) {
    const id = `${m.model}\u0000${m.provider}`;
    const seen = unknownModels.get(id);
    if (seen) seen.calls += m.calls;
    else unknownModels.set(id, { ...m });
  }
  const byTime = (a: { bucket: number }, b: { bucket: number }) => a.bucket - b.bucket;
  return {
    from: p.from,
    to: p.to,
    group_by: p.group_by,
    interval: p.interval,
    totals: total,
    groups: groups.sort((a, b) => b.cost - a.cost).slice(0, p.limit),
    series: series.sort(byTime),
    unknown_models: [...unknownModels.values()].sort((a, b) => b.calls - a.calls),
    cache_savings: cacheSavings(hits, prices[0], prices[1]),
  };
}

export const costsRoute = new Hono<AppEnv>().get(
  "/",
  projectAccess("viewer", "read costs"),
  valid("query", costParams),
  async (c) =>
    answer(
      c,
      "GET /api/v1/costs",
      await costReport(
        controlDb(c.env.DB),
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
    const db = controlDb(c.env.DB);
    const rows = await orgPlacements(db, c.req.param("org"));
    const slices = [...new Set(rows.map((r) => r.shard))].map((shard) => ({
      db: dataDb(shardDatabase(c.env, shard)),
      projectIds: rows.filter((r) => r.shard === shard).map((r) => r.id),
    }));
    return answer(c, "GET /api/orgs/:org/costs", await costReport(db, slices, c.req.valid("query")));
  },
);
