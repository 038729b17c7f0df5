// Indexes, in bounded steps, the events stored before the search index was rebuilt (migrations/0007, 0022): a step
// indexes the next STEP events by rowid (one index row per trace among them) and records how far it got, in one
// transaction, so a run can stop anywhere.

import { parseJobField, searchBackfillParams, searchBackfillProgress } from "../../contract/jobs.ts";
import type { JobRow } from "../db/schema.ts";
import { backfillStatements, backfillStepEnd } from "../db/writes/search-backfill.ts";

const STEP = 2_000;

/** One step of a `search_backfill` job; returns whether the job is done. */
export async function searchBackfillStep(d1: D1Database, job: JobRow): Promise<boolean> {
  const last = parseJobField(searchBackfillParams, job.params, "params").last_rowid;
  const from = parseJobField(searchBackfillProgress, job.progress, "progress").next_rowid ?? 0;
  const next = (await backfillStepEnd(d1, from, last, STEP)) ?? last;
  await d1.batch(backfillStatements(d1, job.id, from, next, last, Date.now()));
  return next >= last;
}
