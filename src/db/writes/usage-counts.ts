// The statements that count usage (usage_daily, usage_warnings; the SQL is in usage.ts), one JSON parameter per chunk.
import { chunkJson } from "./events.ts";
import { SCORE_TALLY_SQL, USAGE_UPSERT_SQL, USAGE_WARNING_CLAIM_SQL, USAGE_WARNING_SQL } from "./usage.ts";

/** The statements adding `[project_id, day, source, events, d1_bytes, r2_bytes, scores]` rows to usage_daily. */
export const usageUpserts = (control: D1Database, rows: unknown[][]) => {
  const upsert = control.prepare(USAGE_UPSERT_SQL);
  return chunkJson(rows).map((json) => upsert.bind(json));
};

/** The statements counting the scores of these `[project_id, score_id, day, source]` keys not stored yet. */
export const scoreTallies = (d1: D1Database, keys: unknown[][]) => {
  const tally = d1.prepare(SCORE_TALLY_SQL);
  return chunkJson(keys).map((json) => tally.bind(json));
};

/** Notes that an org reached a threshold of its monthly events (once per org, month and threshold). */
export const usageWarningInsert = (
  control: D1Database,
  w: { orgId: string; month: number; threshold: number; events: number; limit: number; at: number },
) => control.prepare(USAGE_WARNING_SQL).bind(w.orgId, w.month, w.threshold, w.events, w.limit, w.at);

/** Claims a noted warning for sending (returns its row only for the one claim that wins). */
export const usageWarningClaim = (
  control: D1Database,
  w: { orgId: string; month: number; threshold: number },
  deliveries: number,
  at: number,
) => control.prepare(USAGE_WARNING_CLAIM_SQL).bind(at, deliveries, w.orgId, w.month, w.threshold);
