// Reads of a database's background jobs (every database keeps its own `jobs`), for the scheduled handler and
// deletions on request.
import { and, asc, eq, inArray, isNull, lte, or } from "drizzle-orm";
import { type EitherDb, eitherKind } from "../client.ts";
import { jobs } from "../schema.ts";

/** The open jobs of these kinds that may run at `now` (not waiting out a failed attempt's backoff), oldest first. */
export const openJobs = (db: EitherDb, kinds: string[], now: number) =>
  eitherKind(db)
    .select()
    .from(jobs)
    .where(
      and(
        inArray(jobs.status, ["pending", "running"]),
        inArray(jobs.kind, kinds),
        or(isNull(jobs.retryAt), lte(jobs.retryAt, now)),
      ),
    )
    .orderBy(asc(jobs.createdAt));

export async function jobById(db: EitherDb, id: string) {
  const [job] = await eitherKind(db).select().from(jobs).where(eq(jobs.id, id));
  return job;
}
