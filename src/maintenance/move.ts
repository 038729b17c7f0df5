// Moving a project to another data database (`npm run db:move-project`): a `move` job of the control plane, run by the
// scheduled handler in bounded steps, each resumable from the progress it saved.
//   copy     the project's events, in rowid order, written to the target by the consumer's own write (so summaries,
//            search rows and cost rollups are built there as they were here), then its event parts and the cost
//            and metric hour rollups of hours no event is left in (rollups outlive retention);
//   switch   the placement points to the target: new events and every read go there;
//   wait     consumers keep a placement up to PLACEMENT_TTL_MS, so events may still land on the source until then;
//   catch up events that did, the same way;
//   clean    the project's rows on the source (bodies stay in R2: their keys name no database).
// Reads see the source until the switch and the target after it; for the wait (about a minute) the newest events
// written to the source are missing from reads until the catch-up copies them.
import { type MoveParams, type MoveProgress, moveParams, moveProgress, parseJobField } from "../../contract/jobs.ts";
import { LIFECYCLE_LIMITS } from "../../contract/limits.ts";
import type { QueueMessage } from "../../contract/queue.ts";
import { controlDb } from "../db/client.ts";
import {
  costRollupsBefore,
  eventsAfterRowid,
  firstEventTs,
  metricRollupsBefore,
  partsAfterRowid,
  projectScores,
} from "../db/queries/move.ts";
import type { JobRow } from "../db/schema.ts";
import { shardDatabase } from "../db/shards.ts";
import { auditInsert } from "../db/writes/audit.ts";
import { eraseRemainsStep, eraseRollupsStep, eraseStep } from "../db/writes/erase.ts";
import { writeMessages } from "../db/writes/events.ts";
import { jobProgress } from "../db/writes/jobs.ts";
import { METRICS_HOURLY_TABLES } from "../db/writes/metrics-rollup.ts";
import { rowsCopy } from "../db/writes/move.ts";
import { projectShardSet } from "../db/writes/projects.ts";
import { writeScores } from "../db/writes/scores.ts";
import type { Bindings } from "../env.ts";
import { HOUR_MS } from "../lib/time.ts";

export type { MoveParams, MoveProgress };

const EVENTS_PER_STEP = 1000;
const ROWS_PER_STEP = 5000;

/** The events of the project after `cursor` (rowid), oldest first, as queue messages for the consumer's write. */
async function eventsAfter(source: D1Database, projectId: string, cursor: number) {
  const { results } = await eventsAfterRowid(source, projectId, cursor, EVENTS_PER_STEP);
  const messages: QueueMessage[] = results.map(({ rowid: _, received_at, ...event }) => ({
    project_id: projectId,
    received_at,
    events: [event],
  }));
  return { messages, last: results.at(-1)?.rowid ?? cursor };
}

/** Copies rows as they are (INSERT OR IGNORE: a repeated step changes nothing), one JSON parameter per statement. */
async function copyRows(target: D1Database, table: string, rows: Array<Record<string, unknown>>) {
  const statements = rowsCopy(target, table, rows);
  if (statements.length) await target.batch(statements);
}

/** Scores, through their own write: one replaced on the source while the move waited replaces the copy too. */
async function copyScores(source: D1Database, target: D1Database, projectId: string) {
  const scores = await projectScores(source, projectId);
  await writeScores(
    target,
    scores.results.map(({ received_at, ...score }) => ({
      project_id: projectId,
      received_at,
      events: [],
      scores: [score],
    })),
  );
}

/** The next page of the project's event parts (Langfuse creates and updates) after `cursor` (rowid), copied. */
async function copyParts(source: D1Database, target: D1Database, projectId: string, cursor: number) {
  const { results } = await partsAfterRowid(source, projectId, cursor, ROWS_PER_STEP);
  await copyRows(
    target,
    "event_parts",
    results.map(({ rowid: _, ...part }) => part),
  );
  return { copied: results.length, last: results.at(-1)?.rowid ?? cursor };
}

/** The cost rollups of hours before the project's first event (rollups outlive retention). */
async function copyOldRollups(source: D1Database, target: D1Database, projectId: string) {
  const before = (await firstEventTs(source, projectId)) ?? Number.MAX_SAFE_INTEGER;
  const hour = Math.floor(before / HOUR_MS) * HOUR_MS;
  const rollups = await costRollupsBefore(source, projectId, hour);
  await copyRows(target, "cost_hourly", rollups.results);
  for (const table of METRICS_HOURLY_TABLES) {
    const { results } = await metricRollupsBefore(source, table, projectId, hour);
    await copyRows(target, table, results);
  }
}

/** The job row for a new move. */
export function moveJob(id: string, p: MoveParams) {
  const progress: MoveProgress = { phase: "copy", cursor: 0, copied: 0, switched_at: null };
  return {
    id,
    kind: "move",
    projectId: p.project_id,
    params: JSON.stringify(p),
    progress: JSON.stringify(progress),
    status: "pending" as const,
  };
}

/** One bounded step of a `move` job; true when the project lives on the target only. */
export async function moveJobStep(env: Bindings, job: JobRow, now = Date.now()): Promise<boolean | "later"> {
  const control = controlDb(env.DB);
  const p = parseJobField(moveParams, job.params, "params");
  const progress = parseJobField(moveProgress, job.progress, "progress");
  const [source, target] = [shardDatabase(env, p.from), shardDatabase(env, p.to)];
  const save = (next: MoveProgress, done = false) => jobProgress(control, job.id, next, done, now);

  if (progress.phase === "copy" || progress.phase === "catch_up") {
    const { messages, last } = await eventsAfter(source, p.project_id, progress.cursor);
    if (messages.length) {
      await writeMessages(target, messages, now);
      await save({ ...progress, cursor: last, copied: progress.copied + messages.length });
      return false;
    }
    const parts = await copyParts(source, target, p.project_id, progress.parts_cursor ?? 0);
    if (parts.copied) {
      await save({ ...progress, parts_cursor: parts.last });
      return false;
    }
    await copyScores(source, target, p.project_id);
    await copyOldRollups(source, target, p.project_id);
    if (progress.phase === "catch_up") {
      await save({ ...progress, phase: "clean" });
      return false;
    }
    // Copied: switch the placement (and the job's phase with it, in one batch).
    await control.batch([
      projectShardSet(control, p.project_id, p.to),
      save({ ...progress, phase: "wait", switched_at: now }),
    ]);
    return false;
  }
  if (progress.phase === "wait") {
    if (now < (progress.switched_at ?? now) + LIFECYCLE_LIMITS.lateWritesMs) return "later";
    await save({ ...progress, phase: "catch_up" });
    return false;
  }
  // Clean: the source's rows of the project; their bodies stay (the target's rows point to the same objects).
  const n = await eraseStep(
    source,
    null,
    p.project_id,
    { kind: "project" },
    { limit: EVENTS_PER_STEP, rollups: false },
  );
  if (n > 0) return false;
  if ((await eraseRemainsStep(source, p.project_id, ROWS_PER_STEP)) > 0) return false;
  if ((await eraseRollupsStep(source, p.project_id, Number.MAX_SAFE_INTEGER, ROWS_PER_STEP)) > 0) return false;
  await control.batch([
    save(progress, true),
    auditInsert(control, {
      orgId: p.org_id,
      projectId: p.project_id,
      actor: p.actor,
      action: "project.moved",
      target: String(p.to),
      details: { from: p.from, to: p.to, events: progress.copied, move_id: job.id },
    }),
  ]);
  return true;
}
