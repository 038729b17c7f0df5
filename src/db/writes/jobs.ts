// A background job's progress, saved after each step with its status (running, or done and when).
import { eq } from "drizzle-orm";
import type { Database } from "../client.ts";
import { jobs } from "../schema.ts";

/** The update (await it, or put it in a batch with the step's last change). */
export const jobProgress = (db: Database, id: string, progress: unknown, done: boolean, now = Date.now()) =>
  db
    .update(jobs)
    .set({
      progress: JSON.stringify(progress),
      status: done ? "done" : "running",
      updatedAt: now,
      finishedAt: done ? now : null,
    })
    .where(eq(jobs.id, id));
