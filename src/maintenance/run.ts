// The scheduled handler's work: pending background jobs, step by step, within a time budget; what is left is picked up
// by the next run (every job step is resumable).
import { asc, eq, inArray } from "drizzle-orm";
import { database } from "../db/client.ts";
import { jobs } from "../db/schema.ts";
import type { Bindings } from "../env.ts";
import { searchBackfillStep } from "./search-backfill.ts";

const STEPS: Record<string, (d1: D1Database, job: typeof jobs.$inferSelect) => Promise<boolean>> = {
  search_backfill: searchBackfillStep,
};

/** Runs job steps until every job is done or `budgetMs` has passed. */
export async function runMaintenance(env: Bindings, budgetMs = 20_000) {
  const deadline = Date.now() + budgetMs;
  const db = database(env.DB);
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
      if (await step(env.DB, job)) break;
      const [fresh] = await db.select().from(jobs).where(eq(jobs.id, job.id));
      if (!fresh) break;
      job = fresh;
    }
  }
}
