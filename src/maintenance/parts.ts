// The orphaned parts sweep of a data database, as a job that never ends (`parts_sweep`, one per database by a fixed id,
// so it shares the jobs' failure path): each step deletes the parts of one day of arrivals that are older than
// JOB_LIMITS.orphanedPartsMs and belong to no stored event, and saves how far it got.
import { JOB_LIMITS, parseJobField, partsSweepProgress } from "../../contract/jobs.ts";
import { jobsDb } from "../db/client.ts";
import type { JobRow } from "../db/schema.ts";
import { jobProgress } from "../db/writes/jobs.ts";
import { eraseOrphanedParts, oldestPart, partsSweepJobEnsure } from "../db/writes/parts-sweep.ts";
import { DAY_MS } from "../lib/time.ts";

export const PARTS_SWEEP = "parts_sweep";
const PARTS_PER_STEP = 5_000;

/** Makes sure the database has its sweep job (a no-op when it has). */
export const ensurePartsSweep = (d1: D1Database) => partsSweepJobEnsure(d1, PARTS_SWEEP);

/** One step of the sweep: false while there is more to sweep now, "later" once caught up. */
export async function partsSweepStep(d1: D1Database, job: JobRow, now = Date.now()): Promise<false | "later"> {
  const progress = parseJobField(partsSweepProgress, job.progress, "progress");
  const cutoff = now - JOB_LIMITS.orphanedPartsMs;
  const from = progress.swept_before ?? (await oldestPart(d1)) ?? cutoff;
  if (from >= cutoff) return "later";
  const until = Math.min(cutoff, from + DAY_MS);
  // A full step may have left more in this window: sweep it again before moving on.
  if ((await eraseOrphanedParts(d1, from, until, PARTS_PER_STEP)) === PARTS_PER_STEP) return false;
  await jobProgress(jobsDb(d1), job.id, { swept_before: until }, false, now);
  return until >= cutoff ? "later" : false;
}
