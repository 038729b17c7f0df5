// Cost aggregation: model, provider, project and time groups read the hourly rollup; user, session and trace-name
// groups read the trace summaries (a trace's cost counts at its start). Both are kept by the consumer.
import { and, desc, gt, gte, inArray, lt, type SQL, sql, sum } from "drizzle-orm";
import type { CostGroup } from "../../../contract/constants.ts";
import type { CostParams } from "../../../contract/costs.ts";
import { DAY_MS, HOUR_MS } from "../../lib/time.ts";
import type { DataDb } from "../client.ts";
import { costHourly, traces } from "../schema.ts";

const bucketOf = (column: typeof costHourly.hour | typeof traces.startTs, interval: "hour" | "day") => {
  const size = interval === "hour" ? HOUR_MS : DAY_MS;
  // Literal sizes: a bound JS number arrives as REAL and would turn this into float division.
  return sql<number>`(${column} / ${sql.raw(String(size))}) * ${sql.raw(String(size))}`;
};

/** The two sources of cost sums: the hourly rollup, and trace summaries (for trace dimensions), column by column. */
const SOURCES = {
  rollup: {
    table: costHourly,
    project: costHourly.projectId,
    time: costHourly.hour,
    cost: costHourly.cost,
    input: costHourly.inputTokens,
    output: costHourly.outputTokens,
    cached: costHourly.cachedInputTokens,
    calls: costHourly.calls,
    unpriced: sum(costHourly.unpricedCalls).mapWith(Number),
  },
  traces: {
    table: traces,
    project: traces.projectId,
    time: traces.startTs,
    cost: traces.totalCost,
    input: traces.inputTokens,
    output: traces.outputTokens,
    cached: traces.cachedInputTokens,
    calls: traces.modelCalls,
    unpriced: sql<number | null>`null`,
  },
};

/** A source's rows in range for these projects, summed per `key` (and per bucket when given), dearest first. */
function sums(
  db: DataDb,
  from: keyof typeof SOURCES,
  projectIds: string[],
  p: CostParams,
  key: SQL,
  bucket?: SQL<number>,
) {
  const s = SOURCES[from];
  return db
    .select({
      key: sql<string | null>`${key}`,
      bucket: bucket ?? sql<number | null>`null`,
      cost: sum(s.cost).mapWith(Number),
      input_tokens: sum(s.input).mapWith(Number),
      output_tokens: sum(s.output).mapWith(Number),
      cached_input_tokens: sum(s.cached).mapWith(Number),
      calls: sum(s.calls).mapWith(Number),
      unpriced_calls: s.unpriced,
    })
    .from(s.table)
    .where(and(inArray(s.project, projectIds), gte(s.time, p.from), lt(s.time, p.to)))
    .groupBy(...(bucket ? [key, bucket] : [key]))
    .orderBy(desc(sum(s.cost)))
    .limit(bucket ? 100_000 : p.limit);
}

/** Where each grouping reads from and what it groups on; time groupings are buckets themselves. */
const GROUPING: Record<CostGroup, { rollup: boolean; key: SQL }> = {
  model: { rollup: true, key: sql`${costHourly.model}` },
  provider: { rollup: true, key: sql`${costHourly.provider}` },
  project: { rollup: true, key: sql`${costHourly.projectId}` },
  day: { rollup: true, key: bucketOf(costHourly.hour, "day") },
  hour: { rollup: true, key: bucketOf(costHourly.hour, "hour") },
  user: { rollup: false, key: sql`${traces.userId}` },
  session: { rollup: false, key: sql`${traces.sessionId}` },
  trace_name: { rollup: false, key: sql`${traces.rootName}` },
};

export const isTimeGroup = (g: CostGroup) => g === "day" || g === "hour";

/** The query of one grouping: per group, or per group and time bucket. */
export function costQuery(db: DataDb, projectIds: string[], p: CostParams, perBucket: boolean) {
  const { rollup, key } = GROUPING[p.group_by];
  const bucket =
    perBucket && !isTimeGroup(p.group_by) ? bucketOf(rollup ? costHourly.hour : traces.startTs, p.interval) : undefined;
  return sums(db, rollup ? "rollup" : "traces", projectIds, p, key, bucket);
}

/**
 * Sums per project, model name as sent and provider (and per bucket when asked): the rows `group_by=model` regroups
 * under the name of the price each matched, which needs the provider and the project's own prices to find.
 */
export function modelNameSums(db: DataDb, projectIds: string[], p: CostParams, perBucket: boolean) {
  const t = costHourly;
  const bucket = perBucket ? bucketOf(t.hour, p.interval) : sql<number | null>`null`;
  return db
    .select({
      project: t.projectId,
      model: t.model,
      provider: t.provider,
      bucket,
      cost: sum(t.cost).mapWith(Number),
      input_tokens: sum(t.inputTokens).mapWith(Number),
      output_tokens: sum(t.outputTokens).mapWith(Number),
      cached_input_tokens: sum(t.cachedInputTokens).mapWith(Number),
      calls: sum(t.calls).mapWith(Number),
      unpriced_calls: sum(t.unpricedCalls).mapWith(Number),
    })
    .from(t)
    .where(and(inArray(t.projectId, projectIds), gte(t.hour, p.from), lt(t.hour, p.to)))
    .groupBy(t.projectId, t.model, t.provider, ...(perBucket ? [bucket] : []));
}

/** Range totals (always from the rollup, so every grouping agrees on them). */
export function costTotalsQuery(db: DataDb, projectIds: string[], p: CostParams) {
  return sums(db, "rollup", projectIds, p, sql`'all'`);
}

/** Models seen in range that no price matched. */
export function unknownModelsQuery(db: DataDb, projectIds: string[], p: CostParams) {
  const t = costHourly;
  return db
    .select({ model: t.model, provider: t.provider, calls: sum(t.unpricedCalls).mapWith(Number) })
    .from(t)
    .where(and(inArray(t.projectId, projectIds), gte(t.hour, p.from), lt(t.hour, p.to), gt(t.unpricedCalls, 0)))
    .groupBy(t.model, t.provider)
    .orderBy(desc(sum(t.unpricedCalls)));
}
