// A score's average over a time range (alert rules' `score_avg:<name>`), from the scores' (project, name, ts) index:
// rows read are the scores of that name in the range.

export type ScoreAverageRow = { user_id: string | null; value: number | null; count: number };

type Read = { name: string; from: number; to: number; users: string[] | null; perUser: boolean };

/** One row (or one per end user): the average of the numeric values and how many there were. */
export async function scoreAverageRows(d1: D1Database, projectId: string, r: Read): Promise<ScoreAverageRow[]> {
  const users = r.users ? " AND coalesce(user_id, '') IN (SELECT value FROM json_each(?5))" : "";
  const sql = `SELECT ${r.perUser ? "coalesce(user_id, '')" : "NULL"} AS user_id, avg(value_num) AS value,
      count(value_num) AS count
    FROM scores WHERE project_id = ?1 AND name = ?2 AND ts >= ?3 AND ts < ?4 AND value_num IS NOT NULL${users}
    ${r.perUser ? "GROUP BY 1" : ""}`;
  const params: unknown[] = [projectId, r.name, r.from, r.to];
  if (r.users) params.push(JSON.stringify(r.users));
  const { results } = await d1
    .prepare(sql)
    .bind(...params)
    .all<ScoreAverageRow>();
  return results.filter((row) => row.count > 0);
}
