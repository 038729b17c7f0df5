// Scores counted as the consumer stores them: the ids not stored yet are counted in the same transaction as their
// upserts, so a redelivered or repeated score (updated in place) adds nothing.
import type { QueueMessage } from "../../contract/queue.ts";
import type { IngestSource } from "../../contract/usage.ts";
import { sourceOf, talliesOf } from "../db/writes/usage.ts";
import { scoreTallies } from "../db/writes/usage-counts.ts";
import { DAY_MS } from "../lib/time.ts";

/**
 * Runs the scores' upserts (`upserts`, from src/scores/write.ts) after the statements that count what they newly store,
 * in one batch; the tallies of the new scores. Repeats within the messages count once, under the first copy's way in.
 */
export async function storeCountingScores(d1: D1Database, messages: QueueMessage[], upserts: D1PreparedStatement[]) {
  if (!upserts.length) return [];
  const seen = new Set<string>();
  const keys: [string, string, number, IngestSource][] = [];
  for (const m of messages) {
    for (const score of m.scores ?? []) {
      const key = `${m.project_id}\u0000${score.score_id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      keys.push([m.project_id, score.score_id, Math.floor(m.received_at / DAY_MS) * DAY_MS, sourceOf(m)]);
    }
  }
  const counts = scoreTallies(d1, keys);
  const results = await d1.batch([...counts, ...upserts]);
  return talliesOf(results.slice(0, counts.length));
}
