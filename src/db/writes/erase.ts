// Deleting a project's data in bounded steps: retention (traces whose last event is older than the cutoff), a whole
// project, one trace, or an end user's data. A step picks up to `limit` events, deletes their R2
// bodies first (a body whose row survives a failed step is reported missing, never a 500): every object under the
// prefix of each trace the step empties, and for the other events their pointer and, when they were re-folded, every
// earlier version under their own prefix. Then in one transaction
// their search rows, parts and rows, and rebuilds the summaries of the traces they belonged to from what is left
// (a trace with nothing left loses its summary). Every step is idempotent and the next one continues where it stopped.
import { deleteBodies, deleteBodiesUnder, eventPrefixes, tracePrefixes } from "../bodies.ts";
import { adjustRollups, rebuildSummaries, reindexTraces } from "./derived.ts";
import { METRICS_ERASE_SQL } from "./metrics-rollup.ts";

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

type EraseRow = {
  rowid: number;
  event_id: string;
  trace_id: string;
  ts: number;
  body_ref: string | null;
  /** 1 when the event is stored from parts: earlier folds may have left other versions of its body. */
  folded: number;
};

/** Deletes the R2 bodies of the events a step takes (see the header): by trace prefix, else by pointer and event. */
async function eraseBodies(d1: D1Database, bucket: R2Bucket, projectId: string, rows: EraseRow[]) {
  const traceIds = [...new Set(rows.map((r) => r.trace_id))];
  const { results: counts } = await d1
    .prepare(
      `SELECT trace_id, count(*) AS n FROM events
       WHERE project_id = ?1 AND trace_id IN (SELECT value FROM json_each(?2)) GROUP BY trace_id`,
    )
    .bind(projectId, JSON.stringify(traceIds))
    .all<{ trace_id: string; n: number }>();
  const taken = new Map<string, number>();
  for (const r of rows) taken.set(r.trace_id, (taken.get(r.trace_id) ?? 0) + 1);
  const emptied = new Set(counts.filter((c) => taken.get(c.trace_id) === c.n).map((c) => c.trace_id));
  const rest = rows.filter((r) => !emptied.has(r.trace_id));
  await deleteBodies(
    bucket,
    rest.flatMap((r) => (r.body_ref ? [r.body_ref] : [])),
  );
  // Only where objects can be: a trace none of whose events had a body in R2 or was re-folded has none.
  const listed = (of: EraseRow[]) => {
    const refs = of.filter((r) => r.body_ref !== null || r.folded);
    const legacy = refs.some((r) => r.folded || !r.body_ref!.startsWith(`${projectId}/t=`));
    return { any: refs.length > 0, legacy };
  };
  const prefixes = await Promise.all([
    ...[...emptied].map(async (t) => {
      const { any, legacy } = listed(rows.filter((r) => r.trace_id === t));
      return any ? (await tracePrefixes(projectId, t)).slice(0, legacy ? 2 : 1) : [];
    }),
    ...rest.filter((r) => r.folded).map((r) => eventPrefixes(projectId, r.trace_id, r.event_id)),
  ]);
  for (const prefix of prefixes.flat()) await deleteBodiesUnder(bucket, prefix);
}
/** Scores of the project (?1) whose trace has no summary (narrowed further by the caller). */
const ORPHAN_SCORES_SQL = `DELETE FROM scores WHERE project_id = ?1
  AND NOT EXISTS (SELECT 1 FROM traces t WHERE t.project_id = ?1 AND t.trace_id = scores.trace_id)`;

/**
 * One step: deletes up to `limit` events of the scope with everything derived from them. `rollups`: also take them away
 * from the cost and metric rollups (deletions on request; retention keeps past costs). Returns how many
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
  let rows: EraseRow[] = [];
  let clauseIndex = 0;
  for (const [i, clause] of clauses.entries()) {
    clauseIndex = i;
    ({ results: rows } = await d1
      .prepare(
        `SELECT e.rowid AS rowid, e.event_id, e.trace_id, e.ts, e.body_ref,
           EXISTS (SELECT 1 FROM event_parts p WHERE p.project_id = ?1 AND p.event_id = e.event_id) AS folded
         FROM events e WHERE e.project_id = ?1 AND ${clause} LIMIT ?3`,
      )
      .bind(projectId, target, opts.limit)
      .all<(typeof rows)[number]>());
    if (rows.length) break;
  }
  if (!rows.length) {
    // Summaries without events (none should exist, but a retention sweep leaves nothing expired behind), and scores
    // whose trace never came (expired) or that an end user gave on someone else's trace (their data).
    if (scope.kind === "expired")
      await d1.batch([
        d1
          .prepare("DELETE FROM traces WHERE project_id = ?1 AND start_ts < ?2 AND end_ts < ?2")
          .bind(projectId, scope.cutoff),
        d1.prepare(`${ORPHAN_SCORES_SQL} AND ts < ?2`).bind(projectId, scope.cutoff),
      ]);
    if (scope.kind === "user")
      await d1.prepare("DELETE FROM scores WHERE project_id = ?1 AND user_id = ?2").bind(projectId, scope.userId).run();
    return 0;
  }
  if (bodies) {
    // Bodies by trace or event prefix; and the bodies of the events' parts (Langfuse items kept in R2 until folded),
    // by pointer: an update sent without its trace id keeps its body under another trace's prefix.
    await eraseBodies(d1, bodies, projectId, rows);
    const { results: parts } = await d1
      .prepare(
        `SELECT fields ->> '$.body_ref' AS body_ref FROM event_parts WHERE project_id = ?1
           AND event_id IN (SELECT value FROM json_each(?2)) AND fields ->> '$.body_ref' IS NOT NULL`,
      )
      .bind(projectId, keys(rows.map((r) => r.event_id)))
      .all<{ body_ref: string }>();
    await deleteBodies(
      bodies,
      parts.map((p) => p.body_ref),
    );
  }
  const rowids = keys(rows.map((r) => r.rowid));
  const traceIds = [...new Set(rows.map((r) => r.trace_id))];
  const traces = JSON.stringify(traceIds.map((t) => [projectId, t]));
  await d1.batch([
    // Before the rows go: what they counted, taken away by difference (no read of their hours' other events).
    ...(opts.rollups
      ? adjustRollups(
          d1,
          rows.map((r) => r.rowid),
          -1,
        )
      : []),
    d1.prepare("DELETE FROM events_fts WHERE rowid IN (SELECT value FROM json_each(?1))").bind(rowids),
    d1
      .prepare("DELETE FROM event_parts WHERE project_id = ?1 AND event_id IN (SELECT value FROM json_each(?2))")
      .bind(projectId, keys(rows.map((r) => r.event_id))),
    d1.prepare("DELETE FROM events WHERE rowid IN (SELECT value FROM json_each(?1))").bind(rowids),
    // An end user's events in traces that stay: the rest of those traces is indexed again (an index row is shared by
    // the events one write stored for a trace, src/db/search.ts). Whole traces go whole: nothing to index again.
    ...(scope.kind === "user" && clauseIndex === 1 ? reindexTraces(d1, traces) : []),
    ...rebuildSummaries(d1, projectId, traceIds, opts.now ?? Date.now()),
    // A trace with nothing left loses its scores.
    d1.prepare(`${ORPHAN_SCORES_SQL} AND trace_id IN (SELECT value ->> 1 FROM json_each(?2))`).bind(projectId, traces),
  ]);
  return rows.length;
}

/**
 * Cost and metric rollups older than `before` (retention keeps hour rollups longer than events), up to `limit` rows
 * of each table; how many went.
 */
export async function eraseRollupsStep(d1: D1Database, projectId: string, before: number, limit: number) {
  const results = await d1.batch([
    d1
      .prepare(
        "DELETE FROM cost_hourly WHERE rowid IN (SELECT rowid FROM cost_hourly WHERE project_id = ?1 AND hour < ?2 LIMIT ?3)",
      )
      .bind(projectId, before, limit),
    ...METRICS_ERASE_SQL.map((q) => d1.prepare(q).bind(projectId, before, limit)),
  ]);
  return results.reduce((n, r) => n + r.meta.changes, 0);
}

/** What a project's deletion leaves after its events: parts of events never completed, stray summaries, scores. */
export async function eraseRemainsStep(d1: D1Database, projectId: string, limit: number) {
  const [parts, summaries, scores] = await d1.batch([
    d1
      .prepare("DELETE FROM event_parts WHERE rowid IN (SELECT rowid FROM event_parts WHERE project_id = ?1 LIMIT ?2)")
      .bind(projectId, limit),
    d1
      .prepare(
        "DELETE FROM traces WHERE project_id = ?1 AND trace_id IN (SELECT trace_id FROM traces WHERE project_id = ?1 LIMIT ?2)",
      )
      .bind(projectId, limit),
    d1
      .prepare("DELETE FROM scores WHERE rowid IN (SELECT rowid FROM scores WHERE project_id = ?1 LIMIT ?2)")
      .bind(projectId, limit),
  ]);
  return parts!.meta.changes + summaries!.meta.changes + scores!.meta.changes;
}
