// The one place the derived tables are rebuilt from the events they sum: trace summaries (with their total cost),
// cost rollups and metric rollups. The consumer adds to them as it inserts (summary.ts, cost-rollup.ts,
// metrics-rollup.ts); whatever changes stored events afterwards — a cost recompute, a deletion — rebuilds through here,
// so every path computes a trace's totals with the consumer's own formula.
import { COST_ROLLUP_REBUILD_SQL } from "./cost-rollup.ts";
import { METRICS_REBUILD_SQL } from "./metrics-rollup.ts";
import { SUMMARY_DELETE_SQL, SUMMARY_REBUILD_SQL } from "./summary.ts";

/** Statements (for the caller's batch, after its change to events) rebuilding the summaries of these traces. */
export const rebuildSummaries = (d1: D1Database, projectId: string, traceIds: string[], now: number) => {
  const keys = JSON.stringify(traceIds.map((t) => [projectId, t]));
  return [d1.prepare(SUMMARY_DELETE_SQL).bind(keys), d1.prepare(SUMMARY_REBUILD_SQL).bind(keys, now)];
};

/** Statements rebuilding the project's cost and metric rollups of these hours (epoch ms, hour starts). */
export const rebuildRollups = (d1: D1Database, projectId: string, hours: number[]) =>
  [...COST_ROLLUP_REBUILD_SQL, ...METRICS_REBUILD_SQL].map((q) => d1.prepare(q).bind(projectId, JSON.stringify(hours)));
