// The scheduled handler's work, within a time budget: the background jobs of every database (the control plane and each
// data database keep their own `jobs`), step by step; what is left is picked up by the next run (every step is
// resumable).
import { asc, eq, inArray } from "drizzle-orm";
import { database } from "../db/client.ts";
import { type JobRow, jobs } from "../db/schema.ts";
import { dataDatabases } from "../db/shards.ts";
import type { Bindings } from "../env.ts";
import { searchBackfillStep } from "./search-backfill.ts";

/** Where a job runs: the Worker's bindings and the database whose `jobs` table holds it. */
export type JobContext = { env: Bindings; d1: D1Database };
/** One bounded step of a job; true when the job is done. */
export type JobStep = (ctx: JobContext, job: JobRow) => Promise<boolean>;

const STEPS: Record<string, JobStep> = {
  search_backfill: (ctx, job) => searchBackfillStep(ctx.d1, job),
};

async function runJobs(ctx: JobContext, deadline: number) {
  const db = database(ctx.d1);
  const open = await db
    .select()
    .from(jobs)
    .where(inArray(jobs.status, ["pending", "running"]))
    .orderBy(asc(jobs.createdAt));
  for (let job of open) {
    const step = STEPS[job.kind];
    if (!step) continue;
    for (;;) {
      if (Date.now() > deadline) return;
      if (await step(ctx, job)) break;
      const [fresh] = await db.select().from(jobs).where(eq(jobs.id, job.id));
      if (!fresh) break;
      job = fresh;
    }
  }
}

/** Runs job steps until every job is done or `budgetMs` has passed. */
export async function runMaintenance(env: Bindings, budgetMs = 20_000) {
  const deadline = Date.now() + budgetMs;
  for (const d1 of new Set([env.DB, ...dataDatabases(env)])) await runJobs({ env, d1 }, deadline);
}
