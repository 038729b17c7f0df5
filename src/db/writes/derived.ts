// The one module that keeps the derived tables — trace summaries, the search index, cost and metric rollups — in step
// with the events they are derived from. Every path that changes events comes through here: the consumer (and a move,
// which re-writes through it) adds what one write inserted (`insertedDerived`); a Langfuse fold replacing events
// (`replacingDerived`, `replacedDerived`), a cost recompute and an erasure rebuild the summaries and search rows they
// touched (`rebuildSummaries`, `reindexTraces`) and adjust the rollups by difference (`adjustRollups`: take away what
// the events counted before the change, add what they count after it), so no path reads an hour's events. The SQL of
// each table stays in its own file (summary.ts, search-index.ts, cost-rollup.ts, metrics-rollup.ts); every path
// computes a trace's totals with the same formula.
import { SEARCH_REINDEX_TRACES_SQL, SEARCH_UNINDEX_TRACES_SQL } from "../search.ts";
import { COST_ADJUST_SQL, COST_ROLLUP_SQL } from "./cost-rollup.ts";
import { METRICS_ADJUST_SQL, METRICS_ROLLUP_SQL } from "./metrics-rollup.ts";
import { SEARCH_INDEX_EACH_SQL, SEARCH_INDEX_SQL } from "./search-index.ts";
import { SUMMARY_DELETE_SQL, SUMMARY_REBUILD_SQL, SUMMARY_UPSERT_SQL } from "./summary.ts";

/** One write's inserted rows: JSON chunks of their keys [project_id, trace_id, event_id] and of search keys, and the write's batch_id. */
export type InsertedRows = {
  batchId: string;
  now: number;
  keys: string[];
  /** Chunks of [project_id, trace_id, event_id, text kept when the body went to R2, or null]. */
  searched: string[];
  /** False for an older release's table (upgrade tests write as one): it had no metric rollups. */
  metrics: boolean;
};

/**
 * Statements (for the write's own batch, after its inserts) adding the rows it inserted — those carrying its batch_id,
 * so redelivered events add nothing — to their summaries (one upsert per trace), the search index (one row per trace)
 * and the rollups (one upsert per group).
 */
export function insertedDerived(d1: D1Database, w: InsertedRows) {
  const summarize = d1.prepare(SUMMARY_UPSERT_SQL);
  const index = d1.prepare(SEARCH_INDEX_SQL);
  return [
    ...w.keys.map((keys) => summarize.bind(keys, w.batchId, w.now)),
    ...w.searched.map((keys) => index.bind(keys, w.batchId)),
    ...w.keys.flatMap((keys) => rollupsAdded(d1, keys, w.batchId, w.metrics)),
  ];
}

/** Statements (for the caller's batch, after its change to events) rebuilding the summaries of these traces. */
export const rebuildSummaries = (d1: D1Database, projectId: string, traceIds: string[], now: number) =>
  rebuildTraceSummaries(d1, JSON.stringify(traceIds.map((t) => [projectId, t])), now);

const rebuildTraceSummaries = (d1: D1Database, keys: string, now: number) => [
  d1.prepare(SUMMARY_DELETE_SQL).bind(keys),
  d1.prepare(SUMMARY_REBUILD_SQL).bind(keys, now),
];

/** The events whose rowids are the JSON array ?1. */
const BY_ROWID = "json_each(?1) k JOIN events e ON e.rowid = k.value WHERE true";

/**
 * Statements adding (`sign` 1, after a change) or taking away (-1, before it) what these events (rowids) count in the
 * cost and metric rollups: a deletion takes them away before it deletes, a cost recompute takes away, updates, adds.
 */
export const adjustRollups = (d1: D1Database, rowids: number[], sign: 1 | -1) =>
  adjusting(d1, BY_ROWID, JSON.stringify(rowids), sign);

/** The cost and metric rollups adjusted by what the events of `source` (?1 bound to `param`) count, times `sign`. */
const adjusting = (d1: D1Database, source: string, param: string, sign: 1 | -1) =>
  [...COST_ADJUST_SQL(source, sign), ...METRICS_ADJUST_SQL(source, sign)].map((q) => d1.prepare(q).bind(param));

/** The cost and metric rollups plus what one write inserted (keys: JSON [project_id, trace_id, event_id]; its batch_id). */
const rollupsAdded = (d1: D1Database, keys: string, batchId: string, metrics = true) =>
  [COST_ROLLUP_SQL, ...(metrics ? METRICS_ROLLUP_SQL : [])].map((q) => d1.prepare(q).bind(keys, batchId));

/**
 * Statements indexing again, one row per trace, what is left of these traces ([project_id, trace_id] pairs as JSON)
 * after some of their events went (an index row is shared by the events one write stored for a trace).
 */
export const reindexTraces = (d1: D1Database, traces: string) =>
  [SEARCH_UNINDEX_TRACES_SQL, SEARCH_REINDEX_TRACES_SQL].map((q) => d1.prepare(q).bind(traces));

/**
 * Statements (before a replacement of folds deletes the older ones, in its batch) taking away what those count in the
 * rollups: `source` selects them (a FROM … WHERE clause over `events e`, ?1 bound to `param`).
 */
export const replacingDerived = (d1: D1Database, source: string, param: string) => adjusting(d1, source, param, -1);

/** Folded events just stored in place of older folds, and what they touched. */
export type ReplacedRows = {
  batchId: string;
  now: number;
  /** JSON of [project_id, trace_id, event_id] per folded event. */
  keys: string;
  /** JSON of [project_id, trace_id, event_id, kept search text or null] per folded event. */
  searched: string;
  /** [project_id, trace_id] of the traces holding old or new folds. */
  traces: Array<[string, string]>;
};

/**
 * Statements (after the replacement, in its batch) deriving from the folds it stored: one index row per folded event
 * (a newer fold replaces its own), the traces' summaries rebuilt, and what the new folds (by batch_id) add to the
 * rollups, the older ones having been taken away before (`replacingDerived`): in one transaction a repeated step
 * takes away and adds the same.
 */
export const replacedDerived = (d1: D1Database, r: ReplacedRows) => [
  d1.prepare(SEARCH_INDEX_EACH_SQL).bind(r.searched, r.batchId),
  ...rebuildTraceSummaries(d1, JSON.stringify(r.traces), r.now),
  ...rollupsAdded(d1, r.keys, r.batchId),
];
