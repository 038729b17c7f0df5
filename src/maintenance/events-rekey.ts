// The events' new key (migration 0029, docs/SCALING.md §2.7), in bounded steps: the events stored before the upgrade
// are copied into the new table STEP at a time, the tables are swapped, and the old table is emptied STEP rows at a
// time and dropped (src/db/writes/events-rekey.ts). Every step is one transaction with its progress.
import type { JobRow } from "../db/schema.ts";
import { d1Runner, EVENTS_REKEY_STEP, eventsRekeyStep } from "../db/writes/events-rekey.ts";

/** One step of the `events_rekey` job; returns whether the job is done. */
export const eventsRekeyJobStep = (d1: D1Database, job: JobRow, size = EVENTS_REKEY_STEP) =>
  eventsRekeyStep(d1Runner(d1), job, size);
