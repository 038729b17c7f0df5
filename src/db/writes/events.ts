// Writes queued events to D1 in one transaction per call: multi-row inserts via jsonb_each (one JSON parameter per
// statement, so D1's 100-parameter limit never binds), then what derives from exactly the rows inserted (summaries,
// search index, rollups: derived.ts). The statements go straight to the D1 binding: drizzle's D1 batch can't carry raw
// SQL with parameters, and this is the hot path.
import { LIMITS } from "../../../contract/limits.ts";
import { type QueueMessage, STORED_EVENT_FIELDS } from "../../../contract/queue.ts";
import { randomToken } from "../../lib/ids.ts";
import { byteLength } from "../../lib/json-size.ts";
import { keptSearchText } from "../search.ts";
import { insertedDerived } from "./derived.ts";
import { eventKey } from "./event-keys.ts";
import { talliesOf, USAGE_TALLY_SQL, type UsageTally, usageKeys } from "./usage.ts";

export const EVENT_COLUMNS = ["project_id", ...STORED_EVENT_FIELDS, "received_at"];
/** ?1 the write's batch_id, ?2 a JSON array of rows (arrays in EVENT_COLUMNS order); `columns` are the ones written. */
const insertSql = (columns: readonly string[]) =>
  `INSERT INTO events (${columns.join(", ")}, batch_id) ` +
  // jsonb_each over jsonb(): each `->>` reads the binary row instead of re-parsing its JSON text (2× faster).
  `SELECT ${columns.map((c) => `value ->> ${EVENT_COLUMNS.indexOf(c)}`).join(", ")}, ?1 FROM jsonb_each(jsonb(?2)) ` +
  `WHERE true ON CONFLICT DO NOTHING`;
const INSERT_SQL = insertSql(EVENT_COLUMNS);

type Row = [string, ...unknown[]];

/** Splits JSON rows into arrays whose JSON text stays under D1's value limit. */
export function chunkJson(rows: unknown[]): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let bytes = 2;
  for (const row of rows) {
    const json = JSON.stringify(row);
    const size = byteLength(json) + 1;
    if (bytes + size > LIMITS.maxJsonParamBytes && current.length) {
      chunks.push(`[${current.join(",")}]`);
      current = [];
      bytes = 2;
    }
    current.push(json);
    bytes += size;
  }
  if (current.length) chunks.push(`[${current.join(",")}]`);
  return chunks;
}

/**
 * Drops repeats of (project, trace, event_id) within one write: the first copy wins, as it would across writes.
 * Answers the rows, their keys [project_id, trace_id, event_id] (the events' primary key, which every step deriving
 * from the write finds them by) and, for the search index, the keys plus the text kept when the body went to R2 or null.
 */
function uniqueRows(messages: QueueMessage[]) {
  const seen = new Set<string>();
  const rows: Row[] = [];
  const keys: Array<[string, string, string]> = [];
  const searched: Array<[string, string, string, string | null]> = [];
  for (const message of messages) {
    for (const event of message.events) {
      const key = eventKey(message.project_id, event);
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push([message.project_id, ...STORED_EVENT_FIELDS.map((f) => event[f]), message.received_at]);
      keys.push([message.project_id, event.trace_id, event.event_id]);
      searched.push([message.project_id, event.trace_id, event.event_id, keptSearchText(event)]);
    }
  }
  return { rows, keys, searched };
}

/**
 * Stores the events of the messages and merges them into their trace summaries, atomically and idempotently; answers
 * the usage the rows it newly inserted add (src/db/writes/usage.ts). `columns` narrows the columns written (upgrade tests write as an older release, whose table had fewer).
 */
export async function writeMessages(
  d1: D1Database,
  messages: QueueMessage[],
  now = Date.now(),
  columns: readonly string[] = EVENT_COLUMNS,
): Promise<UsageTally[]> {
  const { rows, keys, searched } = uniqueRows(messages);
  if (!rows.length) return [];
  const batchId = randomToken(12);
  const insert = d1.prepare(columns === EVENT_COLUMNS ? INSERT_SQL : insertSql(columns));
  // Usage is counted by the current release only (an upgrade test writing as an older one has fewer columns).
  const tallies =
    columns === EVENT_COLUMNS
      ? chunkJson(usageKeys(messages)).map((keys) => d1.prepare(USAGE_TALLY_SQL).bind(keys, batchId))
      : [];
  const results = await d1.batch([
    ...chunkJson(rows).map((json) => insert.bind(batchId, json)),
    ...insertedDerived(d1, {
      batchId,
      now,
      keys: chunkJson(keys),
      searched: chunkJson(searched),
      // A release before the metric rollups (upgrade tests write as one) had neither their tables nor these columns.
      metrics: columns.includes("release"),
    }),
    ...tallies,
  ]);
  return tallies.length ? talliesOf(results.slice(-tallies.length)) : [];
}
