// Writes queued scores to a data database: one conditional upsert per chunk (a JSON parameter through jsonb_each), so
// a repeated or late score never needs a read first. A score replaces the stored one of its id only when its timestamp
// is not older (ties: the later arrival), and an ingest key's score never replaces a secret key's or a member's.
import type { QueueMessage } from "../../../contract/queue.ts";
import { STORED_SCORE_FIELDS } from "../../../contract/scores.ts";
import { chunkJson } from "./events.ts";

export const SCORE_COLUMNS = ["project_id", ...STORED_SCORE_FIELDS, "received_at"];
const UPDATED = SCORE_COLUMNS.filter((c) => c !== "project_id" && c !== "score_id");

const UPSERT_SQL =
  `INSERT INTO scores (${SCORE_COLUMNS.join(", ")}) ` +
  `SELECT ${SCORE_COLUMNS.map((_, i) => `value ->> ${i}`).join(", ")} FROM jsonb_each(jsonb(?1)) WHERE true ` +
  `ON CONFLICT (project_id, score_id) DO UPDATE SET ${UPDATED.map((c) => `${c} = excluded.${c}`).join(", ")} ` +
  "WHERE (excluded.ts > scores.ts OR (excluded.ts = scores.ts AND excluded.received_at >= scores.received_at)) " +
  "AND NOT (excluded.author_kind = 'ingest' AND scores.author_kind <> 'ingest')";

/** The statements that store the messages' scores (to run in the consumer's batch, or alone). */
export function scoreStatements(d1: D1Database, messages: QueueMessage[]): D1PreparedStatement[] {
  const rows: unknown[] = [];
  for (const message of messages)
    for (const score of message.scores ?? [])
      rows.push([message.project_id, ...STORED_SCORE_FIELDS.map((f) => score[f]), message.received_at]);
  if (!rows.length) return [];
  const upsert = d1.prepare(UPSERT_SQL);
  return chunkJson(rows).map((json) => upsert.bind(json));
}

/** Stores the messages' scores in one transaction; how many were written. */
export async function writeScores(d1: D1Database, messages: QueueMessage[]) {
  const statements = scoreStatements(d1, messages);
  if (statements.length) await d1.batch(statements);
  return messages.reduce((n, m) => n + (m.scores?.length ?? 0), 0);
}

/** Deletes one score of the project (`authorId`: only if that member annotated it); whether one went. */
export async function deleteScore(d1: D1Database, projectId: string, scoreId: string, authorId?: string) {
  const { meta } = await (authorId === undefined
    ? d1.prepare("DELETE FROM scores WHERE project_id = ?1 AND score_id = ?2").bind(projectId, scoreId)
    : d1
        .prepare(
          "DELETE FROM scores WHERE project_id = ?1 AND score_id = ?2 AND author_kind = 'member' AND author_id = ?3",
        )
        .bind(projectId, scoreId, authorId)
  ).run();
  return meta.changes > 0;
}
