// Events that arrive in parts (see contract/queue.ts `eventPart`): keeping every part, reading an event's parts back,
// and replacing a stored event by a newer fold of its parts — guarded, so that of two consumers folding one event
// concurrently, only the one that saw every part writes (the parts' count is the fold's revision).
import { LIMITS } from "../../../contract/limits.ts";
import { type QueueMessage, STORED_EVENT_FIELDS, type StoredEvent } from "../../../contract/queue.ts";
import { randomToken } from "../../lib/ids.ts";
import { keptSearchText } from "../search.ts";
import { replacedDerived, replacingDerived } from "./derived.ts";
import { BY_KEY } from "./event-keys.ts";
import { chunkJson } from "./events.ts";
import { foldSizeSql, foldTallies, type UsageTally } from "./usage.ts";

const INSERT_PARTS_SQL = `INSERT INTO event_parts (project_id, event_id, part_id, trace_id, rank, at, fields, received_at)
  SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7
  FROM json_each(?1) WHERE true ON CONFLICT DO NOTHING`;

const READ_PARTS_SQL = `SELECT p.project_id, p.event_id, p.trace_id, p.part_id, p.rank, p.at, p.fields
  FROM json_each(?1) k JOIN event_parts p ON p.project_id = k.value ->> 0 AND p.event_id = k.value ->> 1
  ORDER BY p.project_id, p.event_id, p.rank, p.at, p.part_id`;

export type PartRow = {
  project_id: string;
  event_id: string;
  trace_id: string;
  part_id: string;
  rank: number;
  at: number;
  fields: string;
};

/** Keeps the parts of the messages (each once, by part id). */
export async function insertParts(d1: D1Database, messages: QueueMessage[]) {
  const rows = messages.flatMap((m) =>
    (m.parts ?? []).map((p) => [
      m.project_id,
      p.event_id,
      p.part_id,
      p.trace_id,
      p.rank,
      p.at,
      JSON.stringify(p.fields),
      m.received_at,
    ]),
  );
  if (rows.length) await d1.batch(chunkJson(rows).map((json) => d1.prepare(INSERT_PARTS_SQL).bind(json)));
}

/** Every part of these events, in folding order. */
export async function readParts(d1: D1Database, keys: Array<[project: string, event: string]>) {
  const results: PartRow[] = [];
  for (const json of chunkJson(keys))
    results.push(...(await d1.prepare(READ_PARTS_SQL).bind(json).all<PartRow>()).results);
  return results;
}

/** A folded event, with the number of parts it was folded from. */
export type Folded = { project_id: string; received_at: number; event: StoredEvent; revision: number };

const COLUMNS = ["project_id", ...STORED_EVENT_FIELDS, "received_at"];
/** Only while no part newer than the fold has arrived: rows whose stored part count equals the fold's revision. */
const current = (project: string, event: string, revision: string) =>
  `(SELECT count(*) FROM event_parts p WHERE p.project_id = ${project} AND p.event_id = ${event}) = ${revision}`;
/**
 * Folds are written with a batch id of this prefix, and only rows that carry it are replaced: a part never rewrites
 * an event that arrived whole (a Langfuse update naming a native event's id changes nothing).
 */
export const FOLD_BATCH_PREFIX = "fold-";
const FOLDED = `e.batch_id LIKE '${FOLD_BATCH_PREFIX}%'`;
const REVISION = COLUMNS.length;

/**
 * ?1 JSON rows [project_id, event_id, revision]: the stored events about to be replaced (a FROM … WHERE over `e`). A
 * stored fold's trace id is one its parts carry (a part names its trace, or its event when it names none, and the fold
 * takes the last named or the first part's), so it is found by the events' key under each of those traces, even when
 * a later part moved the event to another trace.
 */
const REPLACED = `json_each(?1) k JOIN events e ON e.project_id = k.value ->> 0 AND e.trace_id IN
    (SELECT p.trace_id FROM event_parts p WHERE p.project_id = k.value ->> 0 AND p.event_id = k.value ->> 1)
    AND e.event_id = k.value ->> 1
  WHERE ${FOLDED} AND ${current("k.value ->> 0", "k.value ->> 1", "k.value ->> 2")}`;
/** Their index rows (one each), then the rows. */
const DELETE_INDEXED_SQL = `DELETE FROM events_fts WHERE rowid IN (SELECT e.rowid FROM ${REPLACED})`;
const DELETE_EVENTS_SQL = `DELETE FROM events WHERE rowid IN (SELECT e.rowid FROM ${REPLACED})`;
/** ?1 batch_id, ?2 JSON rows in COLUMNS order plus the revision. */
const INSERT_FOLDED_SQL =
  `INSERT INTO events (${COLUMNS.join(", ")}, batch_id) ` +
  `SELECT ${COLUMNS.map((_, i) => `value ->> ${i}`).join(", ")}, ?1 FROM json_each(?2) ` +
  `WHERE ${current("value ->> 0", "value ->> 1", `value ->> ${REVISION}`)} ON CONFLICT DO NOTHING`;

const REPLACED_SIZE_SQL = foldSizeSql(REPLACED);
/** ?1 JSON rows [project_id, trace_id, event_id] of the new folds, ?2 their batch_id. */
const REPLACEMENT_SIZE_SQL = foldSizeSql(`json_each(?1) k JOIN events e ON ${BY_KEY} WHERE e.batch_id = ?2`);

/**
 * Stores folded events in place of their older folds, in one transaction with what derives from them: the search index
 * entries and the traces' summaries rebuilt, the rollups less the older folds plus the new ones (a repeated step
 * takes away and adds the same).
 * Answers the usage the replacement adds, counted under `source`.
 */
export async function replaceFolded(
  d1: D1Database,
  folded: Folded[],
  now = Date.now(),
  source: UsageTally["source"] = "langfuse",
): Promise<UsageTally[]> {
  if (!folded.length) return [];
  // One JSON parameter per statement must stay under D1's value limit: halve until it does.
  if (folded.length > 1 && JSON.stringify(folded).length * 3 > LIMITS.maxJsonParamBytes) {
    const half = Math.ceil(folded.length / 2);
    const first = await replaceFolded(d1, folded.slice(0, half), now, source);
    return [...first, ...(await replaceFolded(d1, folded.slice(half), now, source))];
  }
  const keys = folded.map((f) => [f.project_id, f.event.event_id, f.revision]);
  const rows = folded.map((f) => [
    f.project_id,
    ...STORED_EVENT_FIELDS.map((k) => f.event[k]),
    f.received_at,
    f.revision,
  ]);
  const batchId = `${FOLD_BATCH_PREFIX}${randomToken(12)}`;
  const traces = [...new Set(folded.map((f) => JSON.stringify([f.project_id, f.event.trace_id])))].map(
    (t) => JSON.parse(t) as [string, string],
  );
  const eventKeys = JSON.stringify(folded.map((f) => [f.project_id, f.event.trace_id, f.event.event_id]));
  // Folded events are indexed one row each (a newer fold replaces its own row), with the text kept from their full body.
  const searched = JSON.stringify(
    folded.map((f) => [f.project_id, f.event.trace_id, f.event.event_id, keptSearchText(f.event)]),
  );
  const results = await d1.batch([
    d1.prepare(REPLACED_SIZE_SQL).bind(JSON.stringify(keys)),
    ...replacingDerived(d1, REPLACED, JSON.stringify(keys)),
    d1.prepare(DELETE_INDEXED_SQL).bind(JSON.stringify(keys)),
    d1.prepare(DELETE_EVENTS_SQL).bind(JSON.stringify(keys)),
    d1.prepare(INSERT_FOLDED_SQL).bind(batchId, JSON.stringify(rows)),
    ...replacedDerived(d1, { batchId, now, keys: eventKeys, searched, traces }),
    d1.prepare(REPLACEMENT_SIZE_SQL).bind(eventKeys, batchId),
  ]);
  return foldTallies(results[0]!, results.at(-1)!, source, now);
}
