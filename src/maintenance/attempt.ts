// One step of a background job, isolated: a step that throws is recorded on its job (tried again after a backoff,
// `failed` after JOB_LIMITS.maxAttempts, with the error) and logged once, and the caller goes on with other work.
import { jobsDb } from "../db/client.ts";
import type { JobRow } from "../db/schema.ts";
import { jobAttemptFailed, jobAttemptsCleared } from "../db/writes/jobs.ts";
import type { Bindings } from "../env.ts";
import { errorText, log } from "../lib/log.ts";

/** Where a job runs: the Worker's bindings and the database whose `jobs` table holds it. */
export type JobContext = { env: Bindings; d1: D1Database };
/** One bounded step of a job; true when the job is done, "later" when it must wait before it can go on. */
export type JobStep = (ctx: JobContext, job: JobRow) => Promise<boolean | "later">;
/** What an attempt came to: the step's answer, or "failed" when it threw (recorded on the job). */
export type Attempt = boolean | "later" | "failed";

/** Runs one step of `job`; never throws for the step's error (only when the failure cannot be recorded either). */
export async function attemptJobStep(ctx: JobContext, job: JobRow, step: JobStep, now = Date.now()): Promise<Attempt> {
  try {
    const result = await step(ctx, job);
    if (job.attempts > 0) await jobAttemptsCleared(jobsDb(ctx.d1), job.id);
    return result;
  } catch (err) {
    const failed = await jobAttemptFailed(jobsDb(ctx.d1), job, errorText(err), now);
    log.error(failed ? "job.failed" : "job.attempt_failed", err, {
      project_id: job.projectId,
      job_id: job.id,
      kind: job.kind,
      attempt: job.attempts + 1,
    });
    return "failed";
  }
}
