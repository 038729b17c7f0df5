// Deletions on request, as `erase` jobs in the control plane's `jobs` table, run in bounded steps by the scheduled
// handler (and a first step right away): a project's data (its control-plane rows are gone the moment it is deleted,
// so nothing can read or write it meanwhile), one trace, or every event carrying an end user's id. Each finished
// deletion is written to the audit log.
import type { BatchItem } from "drizzle-orm/batch";
import type { Deletion } from "../../contract/data.ts";
import { type EraseParams, eraseParams, eraseProgress, parseJobField } from "../../contract/jobs.ts";
import { LIFECYCLE_LIMITS } from "../../contract/limits.ts";
import { bodyPrefix, deleteBodiesUnder } from "../db/bodies.ts";
import { type ControlDb, controlDb } from "../db/client.ts";
import { jobById } from "../db/queries/jobs.ts";
import type { JobRow } from "../db/schema.ts";
import { shardDatabase } from "../db/shards.ts";
import { auditInsert } from "../db/writes/audit.ts";
import { type EraseScope, eraseRemainsStep, eraseRollupsStep, eraseStep } from "../db/writes/erase.ts";
import { jobInsert, jobProgress, retryJob } from "../db/writes/jobs.ts";
import type { Bindings } from "../env.ts";
import { newId } from "../lib/ids.ts";
import { attemptJobStep } from "./attempt.ts";

/** The job row for a new deletion (insert it with the change that requests it). */
export function eraseJob(p: EraseParams) {
  return {
    id: newId("del"),
    kind: "erase",
    projectId: p.project_id,
    params: JSON.stringify(p),
    status: "pending" as const,
  };
}

const scopeOf = (p: EraseParams): EraseScope =>
  p.kind === "project"
    ? { kind: "project" }
    : p.kind === "trace"
      ? { kind: "trace", traceId: p.target! }
      : { kind: "user", userId: p.target! };

/** Where a deletion's status is polled: the project's API, or for a project (whose own routes are gone) its org's. */
export const deletionUrl = (p: Pick<EraseParams, "kind" | "org_id">, id: string) =>
  p.kind === "project" ? `/api/orgs/${p.org_id}/deletions/${id}` : `/api/v1/deletions/${id}`;

export type { EraseParams };

/** How many steps a request runs before answering; a deletion still going on after them answers 202. */
const INLINE_STEPS = 5;

/**
 * Starts a deletion: the job, its audit entry and `alongside` (e.g. the project's own rows) in one control-plane batch,
 * then a few steps right away, so a small deletion is done when the request answers. The scheduled handler finishes
 * the rest.
 */
export async function requestDeletion(
  env: Bindings,
  p: EraseParams,
  { alongside = [], details = {} }: { alongside?: BatchItem<"sqlite">[]; details?: Record<string, unknown> } = {},
): Promise<Deletion> {
  const control = controlDb(env.DB);
  const row = eraseJob(p);
  await control.batch([
    jobInsert(control, row),
    auditInsert(control, {
      orgId: p.org_id,
      projectId: p.project_id,
      actor: p.actor,
      action: `${p.kind}.deletion_requested`,
      target: p.target,
      details: { deletion_id: row.id, ...details },
    }),
    ...alongside,
  ]);
  return runInline(env, row.id);
}

/** A few steps of a deletion right away (each isolated like the scheduled handler's), then how it stands. */
async function runInline(env: Bindings, id: string): Promise<Deletion> {
  const control = controlDb(env.DB);
  for (let step = 0; step < INLINE_STEPS; step++) {
    const job = await jobById(control, id);
    if (!job || job.status === "done" || job.status === "failed") break;
    if ((await attemptJobStep({ env, d1: env.DB }, job, () => eraseJobStep(env, job))) !== false) break;
  }
  const job = await jobById(control, id);
  return deletionView(job!);
}

/**
 * Retries a failed deletion from where it stopped (audit-logged), with a few steps right away; null when `job` is not
 * failed (nothing to retry).
 */
export async function retryDeletion(env: Bindings, job: JobRow, actor: string): Promise<Deletion | null> {
  const control = controlDb(env.DB);
  if (!(await retryJob(control, job.id))) return null;
  const p = parseJobField(eraseParams, job.params, "params");
  await auditInsert(control, {
    orgId: p.org_id,
    projectId: p.project_id,
    actor,
    action: `${p.kind}.deletion_retried`,
    target: p.target,
    details: { deletion_id: job.id, error: job.error },
  });
  return runInline(env, job.id);
}

/** One bounded step of an `erase` job; true when the deletion is complete, "later" while it waits for late writes. */
export async function eraseJobStep(env: Bindings, job: JobRow): Promise<boolean | "later"> {
  const control = controlDb(env.DB);
  const p = parseJobField(eraseParams, job.params, "params");
  const progress = parseJobField(eraseProgress, job.progress, "progress");
  const data = shardDatabase(env, p.shard);
  const deleted = progress.events_deleted ?? 0;
  if ((progress.phase ?? "events") === "events") {
    const n = await eraseStep(data, env.BODIES, p.project_id, scopeOf(p), {
      limit: LIFECYCLE_LIMITS.eventsPerStep,
      // A project's rollups go with it below; a trace's or a user's events leave the rollups of their hours rebuilt.
      rollups: p.kind !== "project",
    });
    if (n > 0) {
      await jobProgress(control, job.id, { events_deleted: deleted + n, phase: "events" }, false);
      return false;
    }
    if (p.kind !== "project") return finish(control, job, p, deleted);
    // Events sent just before the deletion may still be written while consumers hold the project's placement: sweep
    // again once that time has passed.
    if (Date.now() < job.createdAt + LIFECYCLE_LIMITS.lateWritesMs) return "later";
    await jobProgress(control, job.id, { events_deleted: deleted, phase: "rest" }, false);
    return false;
  }
  // A project's remains: parts of events never completed, stray summaries, cost rollups, and any body object left
  // under its prefix (older versions of re-folded bodies).
  const limit = LIFECYCLE_LIMITS.eventsPerStep * 5;
  if ((await eraseRemainsStep(data, p.project_id, limit)) > 0) return false;
  if ((await eraseRollupsStep(data, p.project_id, Number.MAX_SAFE_INTEGER, limit)) > 0) return false;
  await deleteBodiesUnder(env.BODIES, bodyPrefix(p.project_id));
  return finish(control, job, p, deleted);
}

async function finish(control: ControlDb, job: JobRow, p: EraseParams, deleted: number) {
  await control.batch([
    jobProgress(control, job.id, { events_deleted: deleted, phase: "done" }, true),
    auditInsert(control, {
      orgId: p.org_id,
      projectId: p.project_id,
      actor: "system",
      action: `${p.kind}.deleted`,
      target: p.target,
      details: { deletion_id: job.id, events_deleted: deleted, requested_by: p.actor },
    }),
  ]);
  return true;
}

/**
 * A deletion as the API shows it: `failed` with the error once its attempts are spent (`POST …/retry` resumes it); a
 * deletion still being tried shows the last attempt's error while it waits for the next.
 */
export function deletionView(job: JobRow): Deletion {
  const p = parseJobField(eraseParams, job.params, "params");
  const progress = eraseProgress.catch({}).parse(JSON.parse(job.progress));
  return {
    id: job.id,
    kind: p.kind,
    project_id: p.project_id,
    target: p.target,
    status: job.status,
    events_deleted: progress.events_deleted ?? 0,
    requested_at: job.createdAt,
    finished_at: job.finishedAt,
    error: job.error,
    status_url: deletionUrl(p, job.id),
  };
}
