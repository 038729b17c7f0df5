// Dead letters (control plane): queue messages that exhausted their retries, kept for operators to inspect or replay.
import type { ControlDb } from "../client.ts";
import { deadLetters } from "../control-schema.ts";

/** One INSERT of these letters; a letter already kept (same id) is left as it is. */
export const deadLettersInsert = (control: ControlDb, rows: (typeof deadLetters.$inferInsert)[]) =>
  control.insert(deadLetters).values(rows).onConflictDoNothing();
