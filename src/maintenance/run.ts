// The scheduled handler's work, within a time budget: the background jobs of every database (the control plane and each
// data database keep their own `jobs`), step by step; what is left is picked up by the next run (every step is
// resumable).
import { and, asc, eq, inArray } from "drizzle-orm";
import { database } from "../db/client.ts";
import { type JobRow, jobs } from "../db/schema.ts";
import { dataDatabases } from "../db/shards.ts";
import type { Bindings } from "../env.ts";
import { eraseJobStep } from "./erase.ts";
import { moveJobStep } from "./move.ts";
import { runRetention } from "./retention.ts";
import { searchBackfillStep } from "./search-backfill.ts";

/** Where a job runs: the Worker's bindings and the database whose `jobs` table holds it. */
export type JobContext = { env: Bindings; d1: D1Database };
/** One bounded step of a job; true when the job is done, "later" when it must wait before it can go on. */
export type JobStep = (ctx: JobContext, job: JobRow) => Promise<boolean | "later">;

/** Jobs of any database (each keeps its own). */
const STEPS: Record<string, JobStep> = {
  search_backfill: (ctx, job) => searchBackfillStep(ctx.d1, job),
};
/** Jobs only the control plane holds (DATA_0 is the control-plane database too: they must not run twice). */
const CONTROL_STEPS: Record<string, JobStep> = {
  ...STEPS,
  erase: (ctx, job) => eraseJobStep(ctx.env, job),
  move: (ctx, job) => moveJobStep(ctx.env, job),
};

async function runJobs(ctx: JobContext, deadline: number, steps: Record<string, JobStep>) {
  const db = database(ctx.d1);
  const open = await db
    .select()
    .from(jobs)
    .where(and(inArray(jobs.status, ["pending", "running"]), inArray(jobs.kind, Object.keys(steps))))
    .orderBy(asc(jobs.createdAt));
  for (let job of open) {
    const step = steps[job.kind];
    if (!step) continue;
    for (;;) {
      if (Date.now() > deadline) return;
      const result = await step(ctx, job);
      if (result === true || result === "later") break;
      const [fresh] = await db.select().from(jobs).where(eq(jobs.id, job.id));
      if (!fresh) break;
      job = fresh;
    }
  }
}

/**
 * Runs job steps until every job is done or most of `budgetMs` has passed, then retention with what is left (at least
 * a fifth of the budget, so a long job can't hold expiry back).
 */
export async function runMaintenance(env: Bindings, budgetMs = 20_000) {
  const start = Date.now();
  const jobsDeadline = start + budgetMs * 0.8;
  await runJobs({ env, d1: env.DB }, jobsDeadline, CONTROL_STEPS);
  for (const d1 of dataDatabases(env)) await runJobs({ env, d1 }, jobsDeadline, STEPS);
  await runRetention(env, Math.max(Date.now() + budgetMs * 0.2, start + budgetMs));
}
