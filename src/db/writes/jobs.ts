// A background job's state: its progress after each step (running, or done and when), a failed attempt (tried again
// after a backoff, `failed` after JOB_LIMITS.maxAttempts with the error), and a retry of a failed job.
import { and, eq } from "drizzle-orm";
import { JOB_LIMITS, retryDelayMs } from "../../../contract/jobs.ts";
import { type EitherDb, eitherKind } from "../client.ts";
import { type JobRow, jobs } from "../schema.ts";

/** A new job (for a batch with what asked for it). */
export const jobInsert = (db: EitherDb, row: typeof jobs.$inferInsert) => eitherKind(db).insert(jobs).values(row);

/** The update (await it, or put it in a batch with the step's last change); a step that got on clears past failures. */
export const jobProgress = (db: EitherDb, id: string, progress: unknown, done: boolean, now = Date.now()) =>
  eitherKind(db)
    .update(jobs)
    .set({
      progress: JSON.stringify(progress),
      status: done ? "done" : "running",
      attempts: 0,
      retryAt: null,
      error: null,
      updatedAt: now,
      finishedAt: done ? now : null,
    })
    .where(eq(jobs.id, id));

/** Records a failed attempt of a step; returns whether the job is now `failed` (no attempt left). */
export async function jobAttemptFailed(
  db: EitherDb,
  job: Pick<JobRow, "id" | "attempts" | "status">,
  error: string,
  now = Date.now(),
) {
  const attempts = job.attempts + 1;
  const failed = attempts >= JOB_LIMITS.maxAttempts;
  await eitherKind(db)
    .update(jobs)
    .set({
      attempts,
      error: error.slice(0, JOB_LIMITS.errorChars),
      status: failed ? "failed" : job.status,
      retryAt: failed ? null : now + retryDelayMs(attempts),
      updatedAt: now,
      finishedAt: failed ? now : null,
    })
    .where(eq(jobs.id, job.id));
  return failed;
}

/** After a step that got on without saving progress: the failures before it no longer count. */
export const jobAttemptsCleared = (db: EitherDb, id: string) =>
  eitherKind(db).update(jobs).set({ attempts: 0, retryAt: null }).where(eq(jobs.id, id));

/** A failed job back in the queue, resuming from its saved progress; false when it is not failed. */
export async function retryJob(db: EitherDb, id: string, now = Date.now()) {
  const done = await eitherKind(db)
    .update(jobs)
    .set({ status: "pending", attempts: 0, retryAt: null, error: null, updatedAt: now, finishedAt: null })
    .where(and(eq(jobs.id, id), eq(jobs.status, "failed")))
    .returning({ id: jobs.id });
  return done.length > 0;
}
