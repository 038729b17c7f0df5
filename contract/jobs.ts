// Background jobs (the `jobs` table of the control plane and of each data database): what each kind is asked to do
// (`params`) and how far it got (`progress`), parsed on every step so a malformed row fails its job instead of running
// on a guess; and a job's failure as admins see it.
import { z } from "zod";
import { DELETION_KINDS } from "./data.ts";

/** How a job fails: a step that throws is tried again after a backoff, and the job is `failed` after this many. */
export const JOB_LIMITS = {
  maxAttempts: 5,
  /** The wait after the first failed attempt; each further failure doubles it. */
  firstRetryMs: 60_000,
  /** Characters of an error kept on the job. */
  errorChars: 1_000,
  /** Event parts (Langfuse's create and update items) that have not become an event this long after they arrived go. */
  orphanedPartsMs: 7 * 24 * 3_600_000,
} as const;

/** Wait before the next attempt after `attempts` failed ones (1 → 1 min, 2 → 2 min, 3 → 4 min, …). */
export const retryDelayMs = (attempts: number) => JOB_LIMITS.firstRetryMs * 2 ** Math.max(0, attempts - 1);

/** An `erase` job (a deletion on request): a project, a trace or an end user's data. */
export const eraseParams = z.object({
  kind: z.enum(DELETION_KINDS),
  project_id: z.string(),
  org_id: z.string(),
  shard: z.number().int().nonnegative(),
  /** The trace id or end user id (null for a project). */
  target: z.string().nullable(),
  actor: z.string(),
});
export type EraseParams = z.infer<typeof eraseParams>;
export const eraseProgress = z.object({
  events_deleted: z.number().int().nonnegative().optional(),
  phase: z.enum(["events", "rest", "done"]).optional(),
});

/** A `move` job: a project's data to another data database. */
export const moveParams = z.object({
  project_id: z.string(),
  org_id: z.string(),
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  actor: z.string(),
});
export type MoveParams = z.infer<typeof moveParams>;
export const MOVE_PHASES = ["copy", "wait", "catch_up", "clean"] as const;
export const moveProgress = z.object({
  phase: z.enum(MOVE_PHASES),
  /** The last event copied (its rowid on the source). */
  cursor: z.number().int().nonnegative(),
  copied: z.number().int().nonnegative(),
  /** The last event part copied (its rowid on the source); absent in moves started before parts were paged. */
  parts_cursor: z.number().int().nonnegative().optional(),
  switched_at: z.number().nullable(),
});
export type MoveProgress = z.infer<typeof moveProgress>;

/** A `search_backfill` job: index the events up to `last_rowid`. */
export const searchBackfillParams = z.object({ last_rowid: z.number().int().nonnegative() });
export const searchBackfillProgress = z.object({ next_rowid: z.number().int().nonnegative().optional() });

/**
 * The `events_rekey` job (migration 0029): copy the events up to `last_rowid` into the table keyed by (project, trace,
 * event), swap the tables, then empty and drop the old one.
 */
export const eventsRekeyParams = z.object({ last_rowid: z.number().int().nonnegative() });
export const eventsRekeyProgress = z.object({
  phase: z.enum(["copy", "clean"]),
  /** The last rowid copied (copy phase). */
  next_rowid: z.number().int().nonnegative().optional(),
});

/** The `parts_sweep` job of a data database (one, by a fixed id): orphaned parts received before this are gone. */
export const partsSweepProgress = z.object({ swept_before: z.number().int().nonnegative().optional() });

/** A job's `params` or `progress` column, parsed by its schema; throws (failing the job) when it does not fit. */
export function parseJobField<T extends z.ZodType>(schema: T, json: string, what: string): z.infer<T> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`the job's ${what} is not JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`the job's ${what} does not fit its kind: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
