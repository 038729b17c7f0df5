// The scheduled handler's work, within a time budget: the background jobs of every database (the control plane and each
// data database keep their own `jobs`), step by step; what is left is picked up by the next run (every step is
// resumable). Every step is isolated (src/maintenance/attempt.ts): one that throws is recorded on its job and the run
// goes on to the next job, the next database and retention. Each data database also sweeps its orphaned event parts,
// as a job of its own (src/maintenance/parts.ts).
import { jobsDb } from "../db/client.ts";
import { jobById, openJobs } from "../db/queries/jobs.ts";
import { dataDatabases } from "../db/shards.ts";
import { EVENTS_REKEY } from "../db/writes/events-rekey.ts";
import { rebuildDirtyDays } from "../db/writes/metrics-days.ts";
import type { Bindings } from "../env.ts";
import { log } from "../lib/log.ts";
import { attemptJobStep, type JobContext, type JobStep } from "./attempt.ts";
import { eraseJobStep } from "./erase.ts";
import { eventsRekeyJobStep } from "./events-rekey.ts";
import { moveJobStep } from "./move.ts";
import { ensurePartsSweep, PARTS_SWEEP, partsSweepStep } from "./parts.ts";
import { runRetention } from "./retention.ts";
import { searchBackfillStep } from "./search-backfill.ts";

/** Jobs of any database (each keeps its own). */
const STEPS: Record<string, JobStep> = {
  search_backfill: (ctx, job) => searchBackfillStep(ctx.d1, job),
  [EVENTS_REKEY]: (ctx, job) => eventsRekeyJobStep(ctx.d1, job),
  [PARTS_SWEEP]: (ctx, job) => partsSweepStep(ctx.d1, job),
};
/** Jobs only the control plane holds (DATA_0 is the control-plane database too: they must not run twice). */
const CONTROL_STEPS: Record<string, JobStep> = {
  ...STEPS,
  erase: (ctx, job) => eraseJobStep(ctx.env, job),
  move: (ctx, job) => moveJobStep(ctx.env, job),
};

/** The open jobs of one database that may run now (not waiting out a failed attempt's backoff), oldest first. */
async function runJobs(ctx: JobContext, deadline: number, steps: Record<string, JobStep>) {
  const db = jobsDb(ctx.d1);
  const open = await openJobs(db, Object.keys(steps), Date.now());
  for (let job of open) {
    const step = steps[job.kind];
    if (!step) continue;
    for (;;) {
      if (Date.now() > deadline) return;
      const result = await attemptJobStep(ctx, job, step);
      if (result !== false) break;
      const fresh = await jobById(db, job.id);
      if (!fresh) break;
      job = fresh;
    }
  }
}

/** Runs `work`, logging (once) instead of throwing, so one database or one phase can't stop the rest of the run. */
async function isolated(what: string, work: () => Promise<unknown>) {
  try {
    await work();
  } catch (err) {
    log.error(`maintenance.${what}_failed`, err);
  }
}

/**
 * Runs job steps until every job is done or most of `budgetMs` has passed, then retention with what is left (at least a fifth of the budget, so a long job can't hold expiry back).
 */
export async function runMaintenance(env: Bindings, budgetMs = 20_000) {
  const start = Date.now();
  const jobsDeadline = start + budgetMs * 0.8;
  await isolated("control_jobs", () => runJobs({ env, d1: env.DB }, jobsDeadline, CONTROL_STEPS));
  for (const d1 of dataDatabases(env))
    await isolated("data_jobs", async () => {
      await ensurePartsSweep(d1);
      await runJobs({ env, d1 }, jobsDeadline, STEPS);
    });
  // Day rollups of the days complete and changed since (src/db/writes/metrics-days.ts).
  for (const d1 of dataDatabases(env))
    await isolated("metric_days", () => rebuildDirtyDays(d1, Date.now(), 50, jobsDeadline));
  await isolated("retention", () => runRetention(env, Math.max(Date.now() + budgetMs * 0.2, start + budgetMs)));
}
