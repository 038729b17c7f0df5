// The `events_rekey` job's statements (migration 0029, src/maintenance/events-rekey.ts): the events stored before the
// migration are copied into `events_0029` (keyed by project, trace, event) in bounded steps by rowid, while the
// migration's triggers copy every write to `events` as it happens; once the copy reaches the last rowid the tables
// are swapped, and the old one is emptied in bounded steps, then dropped. Each step is one transaction with the job's
// progress, so a step that fails leaves nothing behind and is simply run again.
//
// A step runs through `SqlRunner`: D1 in the Worker (d1Runner), node:sqlite where scripts migrate local databases
// (scripts/local-d1.ts), so a fresh database ends on the new table through the same statements as the Cron's.
import { eventsRekeyParams, eventsRekeyProgress, parseJobField } from "../../../contract/jobs.ts";

export const EVENTS_REKEY = "events_rekey";
/** The job migration 0029 inserts in every database. */
export const EVENTS_REKEY_JOB = "events-rekey-0029";
/** Events per step: timed in docs/SCALING.md §2.7 (`bench:events-rekey`), far inside D1's 30 s per query. */
export const EVENTS_REKEY_STEP = 5_000;

/** One read, and one transaction of statements with their parameters. */
export type SqlRunner = {
  first<T>(sql: string, ...params: unknown[]): Promise<T | null>;
  transaction(statements: Array<[string, ...unknown[]]>): Promise<void>;
};

export const d1Runner = (d1: D1Database): SqlRunner => ({
  first: (sql, ...params) =>
    d1
      .prepare(sql)
      .bind(...params)
      .first(),
  transaction: async (statements) => {
    await d1.batch(statements.map(([sql, ...params]) => d1.prepare(sql).bind(...params)));
  },
});

/** The columns of migration 0029's table, each copied as it is (with the rowid, which the search index refers to). */
const COLUMNS = [
  "project_id",
  "event_id",
  "trace_id",
  "parent_event_id",
  "type",
  "name",
  "ts",
  "duration_ms",
  "status",
  "body",
  "context",
  "model",
  "provider",
  "input_tokens",
  "output_tokens",
  "cached_input_tokens",
  "cache_write_tokens",
  "cost_usd",
  "cost_source",
  "user_id",
  "session_id",
  "truncated",
  "batch_id",
  "received_at",
  "body_ref",
  "body_bytes",
  "body_sha256",
  "environment",
  "release",
  "first_token_ms",
].join(", ");

const JOB_SQL = "SELECT params, progress, status FROM jobs WHERE id = ?1";
/** Where a copy step ends: the rowid `?3` events after `?1`, at most `?2`. */
const NEXT_SQL = `SELECT max(rowid) AS next FROM (SELECT rowid FROM events WHERE rowid > ?1 AND rowid <= ?2 ORDER BY rowid LIMIT ?3)`;
/** Rowids (?1, ?2]; a row the triggers wrote (inserted, updated, or a reused rowid) is newer, so it stays. */
const COPY_SQL = `INSERT OR IGNORE INTO events_0029 (rowid, ${COLUMNS})
  SELECT rowid, ${COLUMNS} FROM events WHERE rowid > ?1 AND rowid <= ?2 ORDER BY rowid`;
/**
 * The swap. The triggers go first: with them gone no view or trigger names either table, so the renames rewrite
 * nothing else (the search index is a contentless FTS table that refers to events by rowid only). The renames move
 * each table's indexes with it (`sqlite_autoindex_events_1` becomes the new key's).
 */
const SWAP_SQL = [
  "DROP TRIGGER IF EXISTS events_0029_insert",
  "DROP TRIGGER IF EXISTS events_0029_update",
  "DROP TRIGGER IF EXISTS events_0029_delete",
  "ALTER TABLE events RENAME TO events_0028",
  "ALTER TABLE events_0029 RENAME TO events",
];
const OLD_TABLE_SQL = `SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events_0028') AS present`;
const OLD_ROWS_SQL = "SELECT EXISTS (SELECT 1 FROM events_0028) AS present";
/** Dropping a table walks every page it holds: its rows go first, ?1 at a time, so every step stays bounded. */
const CLEAN_SQL = "DELETE FROM events_0028 WHERE rowid IN (SELECT rowid FROM events_0028 ORDER BY rowid LIMIT ?1)";
const DROP_SQL = "DROP TABLE IF EXISTS events_0028";
const PROGRESS_SQL = `UPDATE jobs SET progress = ?1, status = iif(?2, 'done', 'running'), attempts = 0, retry_at = NULL,
  error = NULL, updated_at = ?3, finished_at = iif(?2, ?3, NULL) WHERE id = ?4`;

type JobFields = { id: string; params: string; progress: string };

/**
 * One step of the job: the next `size` events copied, or the swap once the copy is complete (with the copy's last
 * events), or `size` rows of the old table deleted, or the old table, empty, dropped. Answers whether the job is done.
 */
export async function eventsRekeyStep(run: SqlRunner, job: JobFields, size: number, now = Date.now()) {
  const last = parseJobField(eventsRekeyParams, job.params, "params").last_rowid;
  const progress = parseJobField(eventsRekeyProgress, job.progress, "progress");
  const saved = (next: unknown, done = false): [string, ...unknown[]] => [
    PROGRESS_SQL,
    JSON.stringify(next),
    done ? 1 : 0,
    now,
    job.id,
  ];
  if (progress.phase === "copy") {
    const from = progress.next_rowid ?? 0;
    const end =
      from < last ? ((await run.first<{ next: number | null }>(NEXT_SQL, from, last, size))?.next ?? last) : last;
    const copy: [string, ...unknown[]] = [COPY_SQL, from, end];
    if (end < last) await run.transaction([copy, saved({ phase: "copy", next_rowid: end })]);
    else await run.transaction([copy, ...SWAP_SQL.map((sql): [string] => [sql]), saved({ phase: "clean" })]);
    return false;
  }
  const table = await run.first<{ present: number }>(OLD_TABLE_SQL);
  if (table?.present && (await run.first<{ present: number }>(OLD_ROWS_SQL))?.present) {
    await run.transaction([[CLEAN_SQL, size], saved(progress)]);
    return false;
  }
  await run.transaction([[DROP_SQL], saved(progress, true)]);
  return true;
}

/**
 * Runs the job to its end (a fresh database: tests, `npm start`, benchmarks), step by step as the Cron would; nothing
 * when it is done or absent.
 */
export async function finishEventsRekey(run: SqlRunner, size = EVENTS_REKEY_STEP) {
  for (;;) {
    const job = await run.first<JobFields & { status: string }>(JOB_SQL, EVENTS_REKEY_JOB);
    if (!job || job.status === "done") return;
    if (await eventsRekeyStep(run, { ...job, id: EVENTS_REKEY_JOB }, size)) return;
  }
}
