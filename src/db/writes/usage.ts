// Usage counting (usage_daily): what one write newly stored, tallied in the data database inside the write's own
// transaction (the batch_id guard of the summaries and cost rollups: redelivered events add nothing), then added to
// the control plane's usage_daily with one upsert per consumer group.

import type { QueueMessage } from "../../../contract/queue.ts";
import type { IngestSource } from "../../../contract/usage.ts";
import { DAY_MS } from "../../lib/time.ts";
import { BY_KEY, eventKey } from "./event-keys.ts";

/** What a write added to one project's usage on one day through one way in. */
export type UsageTally = {
  project_id: string;
  day: number;
  source: IngestSource;
  events: number;
  d1_bytes: number;
  r2_bytes: number;
  scores: number;
};

/** Messages from before `source` existed came through the events API. */
export const sourceOf = (m: QueueMessage): IngestSource => m.source ?? "sdk";

/** Bytes a stored event takes in D1, estimated: its text columns plus a fixed overhead for keys, numbers and indexes. */
export const ROW_OVERHEAD_BYTES = 200;
const d1Bytes = (e: string) =>
  `${ROW_OVERHEAD_BYTES} + length(CAST(${e}.name AS BLOB)) + coalesce(length(CAST(${e}.body AS BLOB)), 0) + ` +
  `coalesce(length(CAST(${e}.context AS BLOB)), 0) + coalesce(length(CAST(${e}.model AS BLOB)), 0)`;
const r2Bytes = (e: string) => `coalesce(sum(${e}.body_bytes) FILTER (WHERE ${e}.body_ref IS NOT NULL), 0)`;

/** ?1 JSON rows [project_id, trace_id, event_id, source], ?2 the write's batch_id: the rows it inserted, per group. */
export const USAGE_TALLY_SQL = `SELECT e.project_id, (e.received_at / ${DAY_MS}) * ${DAY_MS} AS day, k.value ->> 3 AS source,
    count(*) AS events, sum(${d1Bytes("e")}) AS d1_bytes, ${r2Bytes("e")} AS r2_bytes, 0 AS scores
  FROM json_each(?1) k JOIN events e ON ${BY_KEY}
  WHERE e.batch_id = ?2 GROUP BY 1, 2, 3`;

/**
 * The keys a write's tally reads (chunk them like the insert's rows). Repeats of a (project, trace, event) within the
 * messages keep the first copy's way in, as the insert keeps the first copy.
 */
export function usageKeys(messages: QueueMessage[]) {
  const seen = new Set<string>();
  const keys: [string, string, string, IngestSource][] = [];
  for (const m of messages) {
    for (const e of m.events) {
      const key = eventKey(m.project_id, e);
      if (seen.has(key)) continue;
      seen.add(key);
      keys.push([m.project_id, e.trace_id, e.event_id, sourceOf(m)]);
    }
  }
  return keys;
}

/** The tallies in the results of USAGE_TALLY_SQL statements. */
export const talliesOf = (results: D1Result[]) => results.flatMap((r) => r.results as UsageTally[]);

/**
 * Folded events replace older folds, so their usage is what a replacement adds: the size of the rows `source` picks
 * (a FROM … WHERE clause over events `e`), read before the delete and after the insert, in one transaction.
 */
export const foldSizeSql = (source: string) => `SELECT e.project_id, count(*) AS events,
    coalesce(sum(${d1Bytes("e")}), 0) AS d1_bytes, ${r2Bytes("e")} AS r2_bytes
  FROM ${source} GROUP BY 1`;

type Size = { project_id: string; events: number; d1_bytes: number; r2_bytes: number };

/** What replacing folds added per project: the rows after minus the rows they replaced, on the day `at` falls in. */
export function foldTallies(before: D1Result, after: D1Result, source: IngestSource, at: number): UsageTally[] {
  const old = new Map((before.results as Size[]).map((s) => [s.project_id, s]));
  return (after.results as Size[]).map((s) => ({
    project_id: s.project_id,
    day: Math.floor(at / DAY_MS) * DAY_MS,
    source,
    events: s.events - (old.get(s.project_id)?.events ?? 0),
    d1_bytes: s.d1_bytes - (old.get(s.project_id)?.d1_bytes ?? 0),
    r2_bytes: s.r2_bytes - (old.get(s.project_id)?.r2_bytes ?? 0),
    scores: 0,
  }));
}

/** ?1 JSON rows [project_id, score_id, day, source]: the scores not stored yet, per group (read before their upsert). */
export const SCORE_TALLY_SQL = `SELECT k.value ->> 0 AS project_id, k.value ->> 2 AS day, k.value ->> 3 AS source,
    0 AS events, 0 AS d1_bytes, 0 AS r2_bytes, count(*) AS scores
  FROM json_each(?1) k
  WHERE NOT EXISTS (SELECT 1 FROM scores s WHERE s.project_id = k.value ->> 0 AND s.score_id = k.value ->> 1)
  GROUP BY 1, 2, 3`;

/**
 * ?1 JSON rows [project_id, day, source, events, d1_bytes, r2_bytes, scores]: added to usage_daily under each
 * project's org.
 */
export const USAGE_UPSERT_SQL = `INSERT INTO usage_daily (org_id, project_id, day, source, events, d1_bytes, r2_bytes, scores)
  SELECT p.org_id, k.value ->> 0, k.value ->> 1, k.value ->> 2, k.value ->> 3, k.value ->> 4, k.value ->> 5,
    k.value ->> 6
  FROM json_each(?1) k JOIN projects p ON p.id = k.value ->> 0 WHERE true
  ON CONFLICT (project_id, day, source) DO UPDATE SET events = events + excluded.events,
    d1_bytes = d1_bytes + excluded.d1_bytes, r2_bytes = r2_bytes + excluded.r2_bytes, scores = scores + excluded.scores`;

/** ?1 org id, ?2 month, ?3 threshold, ?4 events, ?5 limit, ?6 now: a warning seen reached (once; later sightings keep
 * the first). */
export const USAGE_WARNING_SQL = `INSERT INTO usage_warnings (org_id, month, threshold, events, event_limit, reached_at)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING`;

/** ?1 now, ?2 deliveries, ?3 org, ?4 month, ?5 threshold: claims an unsent warning; a row comes back to the one winner. */
export const USAGE_WARNING_CLAIM_SQL = `UPDATE usage_warnings SET notified_at = ?1, deliveries = ?2
  WHERE org_id = ?3 AND month = ?4 AND threshold = ?5 AND notified_at IS NULL RETURNING threshold`;
