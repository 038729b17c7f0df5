// Deleting a project's data in bounded steps: retention (traces whose last event is older than the cutoff), a whole
// project, one trace, or an end user's data. A step picks up to `limit` events, deletes their R2
// bodies first (a body whose row survives a failed step is reported missing, never a 500), then in one transaction
// their search rows, parts and rows, and rebuilds the summaries of the traces they belonged to from what is left
// (a trace with nothing left loses its summary). Every step is idempotent and the next one continues where it stopped.
import { HOUR_MS } from "../../lib/time.ts";
import { deleteBodies } from "../bodies.ts";
import { COST_ROLLUP_REBUILD_SQL } from "./cost-rollup.ts";
import { SUMMARY_DELETE_SQL, SUMMARY_REBUILD_SQL } from "./summary.ts";

/** Which events of the project a deletion takes (SQL over `events e`, ?1 the project, ?2 the target). */
export type EraseScope =
  | { kind: "expired"; cutoff: number }
  | { kind: "project" }
  | { kind: "trace"; traceId: string }
  | { kind: "user"; userId: string };

const TRACES_PER_STEP = 100;

/**
 * The events a step takes, as SQL over `events e` (?1 the project, ?2 the target): the first of the clauses that still
 * selects something (each is bounded, and stays true of the same events while the deletion goes on).
 */
function selection(scope: EraseScope): { clauses: string[]; target: string | number | null } {
  switch (scope.kind) {
    // A trace expires as a whole, once its last event is older than the cutoff (end_ts ≥ start_ts, so the start
    // index narrows the search).
    case "expired":
      return {
        clauses: [
          `e.trace_id IN (SELECT trace_id FROM traces WHERE project_id = ?1 AND start_ts < ?2 AND end_ts < ?2
            LIMIT ${TRACES_PER_STEP})`,
        ],
        target: scope.cutoff,
      };
    case "project":
      return { clauses: ["?2 IS NULL"], target: null };
    case "trace":
      return { clauses: ["e.trace_id = ?2"], target: scope.traceId };
    // First the whole of every trace listed under the user (their prompts are in child events that need not repeat
    // the id), the events carrying the id last, so a partly deleted trace stays theirs; then every other event that
    // carries the id (in traces listed under someone else, only those go).
    case "user":
      return {
        clauses: [
          `e.trace_id IN (SELECT trace_id FROM traces WHERE project_id = ?1 AND user_id = ?2 LIMIT ${TRACES_PER_STEP})
            ORDER BY e.user_id IS ?2`,
          "e.user_id = ?2",
        ],
        target: scope.userId,
      };
  }
}

const keys = (ids: Array<string | number>) => JSON.stringify(ids);

/**
 * One step: deletes up to `limit` events of the scope with everything derived from them. `rollups`: also rebuild the
 * hourly cost rollups of the hours they were in (deletions on request; retention keeps past costs). Returns how many
 * events it deleted (0: nothing left).
 */
export async function eraseStep(
  d1: D1Database,
  /** Where the events' bodies are deleted (null: they stay, e.g. a moved project's copy still points to them). */
  bodies: R2Bucket | null,
  projectId: string,
  scope: EraseScope,
  opts: { limit: number; rollups: boolean; now?: number },
): Promise<number> {
  const { clauses, target } = selection(scope);
  let rows: Array<{ rowid: number; event_id: string; trace_id: string; ts: number; body_ref: string | null }> = [];
  for (const clause of clauses) {
    ({ results: rows } = await d1
      .prepare(
        `SELECT e.rowid AS rowid, e.event_id, e.trace_id, e.ts, e.body_ref FROM events e
         WHERE e.project_id = ?1 AND ${clause} LIMIT ?3`,
      )
      .bind(projectId, target, opts.limit)
      .all<(typeof rows)[number]>());
    if (rows.length) break;
  }
  if (!rows.length) {
    // Summaries without events (none should exist, but a retention sweep leaves nothing expired behind).
    if (scope.kind === "expired")
      await d1
        .prepare("DELETE FROM traces WHERE project_id = ?1 AND start_ts < ?2 AND end_ts < ?2")
        .bind(projectId, scope.cutoff)
        .run();
    return 0;
  }
  if (bodies) {
    // Parts (Langfuse items) keep their large bodies in R2 until folded: those objects go with the event.
    const { results: parts } = await d1
      .prepare(
        `SELECT fields ->> '$.body_ref' AS body_ref FROM event_parts WHERE project_id = ?1
           AND event_id IN (SELECT value FROM json_each(?2)) AND fields ->> '$.body_ref' IS NOT NULL`,
      )
      .bind(projectId, keys(rows.map((r) => r.event_id)))
      .all<{ body_ref: string }>();
    await deleteBodies(bodies, [
      ...rows.flatMap((r) => (r.body_ref ? [r.body_ref] : [])),
      ...parts.map((p) => p.body_ref),
    ]);
  }
  const rowids = keys(rows.map((r) => r.rowid));
  const traces = JSON.stringify([...new Set(rows.map((r) => r.trace_id))].map((t) => [projectId, t]));
  const hours = keys([...new Set(rows.map((r) => Math.floor(r.ts / HOUR_MS) * HOUR_MS))]);
  await d1.batch([
    d1.prepare("DELETE FROM events_fts WHERE rowid IN (SELECT value FROM json_each(?1))").bind(rowids),
    d1
      .prepare("DELETE FROM event_parts WHERE project_id = ?1 AND event_id IN (SELECT value FROM json_each(?2))")
      .bind(projectId, keys(rows.map((r) => r.event_id))),
    d1.prepare("DELETE FROM events WHERE rowid IN (SELECT value FROM json_each(?1))").bind(rowids),
    d1.prepare(SUMMARY_DELETE_SQL).bind(traces),
    d1.prepare(SUMMARY_REBUILD_SQL).bind(traces, opts.now ?? Date.now()),
    ...(opts.rollups ? COST_ROLLUP_REBUILD_SQL.map((q) => d1.prepare(q).bind(projectId, hours)) : []),
  ]);
  return rows.length;
}

/** Cost rollups older than `before` (retention keeps them longer than events), up to `limit` rows; how many went. */
export async function eraseRollupsStep(d1: D1Database, projectId: string, before: number, limit: number) {
  const { meta } = await d1
    .prepare(
      "DELETE FROM cost_hourly WHERE rowid IN (SELECT rowid FROM cost_hourly WHERE project_id = ?1 AND hour < ?2 LIMIT ?3)",
    )
    .bind(projectId, before, limit)
    .run();
  return meta.changes;
}

/** What a project's deletion leaves after its events: parts of events never completed, stray summaries. */
export async function eraseRemainsStep(d1: D1Database, projectId: string, limit: number) {
  const [parts, summaries] = await d1.batch([
    d1
      .prepare("DELETE FROM event_parts WHERE rowid IN (SELECT rowid FROM event_parts WHERE project_id = ?1 LIMIT ?2)")
      .bind(projectId, limit),
    d1
      .prepare("DELETE FROM traces WHERE rowid IN (SELECT rowid FROM traces WHERE project_id = ?1 LIMIT ?2)")
      .bind(projectId, limit),
  ]);
  return parts!.meta.changes + summaries!.meta.changes;
}
