// The trace list's score filter (a score name with a numeric range, a boolean or label, or "has no such score") and
// its score columns (per trace of a page: the mean of a numeric or boolean score, the latest label of a categorical one).
import { type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { MAX_ROW_SCORES, type scoreFilterParams } from "../../../contract/trace-query.ts";
import type { DataDb } from "../client.ts";
import { traces } from "../schema.ts";

type ScoreFilter = { [K in keyof typeof scoreFilterParams]?: z.infer<(typeof scoreFilterParams)[K]> };

export function scoreFilter(p: ScoreFilter): SQL | undefined {
  if (!p.score) return undefined;
  const conditions: SQL[] = [sql`s.name = ${p.score}`];
  if (p.score_min !== undefined) conditions.push(sql`s.value_num >= ${p.score_min}`);
  if (p.score_max !== undefined) conditions.push(sql`s.value_num <= ${p.score_max}`);
  if (p.score_value === "true" || p.score_value === "false")
    conditions.push(sql`s.kind = 'boolean' AND s.value_num = ${p.score_value === "true" ? 1 : 0}`);
  else if (p.score_value !== undefined) conditions.push(sql`s.kind = 'categorical' AND s.value_str = ${p.score_value}`);
  const exists = sql`exists (select 1 from scores s where s.project_id = ${traces.projectId} and s.trace_id = ${traces.traceId} and ${sql.join(conditions, sql` and `)})`;
  return p.score_missing === "true" ? sql`not ${exists}` : exists;
}

export type ScoreCells = Map<string, Record<string, number | string | null>>;

/** The score columns of a page of traces. */
export async function scoreColumns(db: DataDb, projectId: string, traceIds: string[], names: string[]) {
  const cells: ScoreCells = new Map();
  if (!traceIds.length || !names.length) return cells;
  const rows = await db.all<{ trace_id: string; name: string; avg: number | null; label: string | null }>(
    sql`select trace_id, name, avg(value_num) as avg,
          (select value_str from scores l where l.project_id = s.project_id and l.trace_id = s.trace_id
             and l.name = s.name and l.value_str is not null order by l.ts desc limit 1) as label
        from scores s
        where s.project_id = ${projectId}
          and s.trace_id in (select value from json_each(${JSON.stringify(traceIds)}))
          and s.name in (select value from json_each(${JSON.stringify(names)}))
        group by trace_id, name`,
  );
  for (const r of rows) cells.set(r.trace_id, { ...cells.get(r.trace_id), [r.name]: r.avg ?? r.label });
  return cells;
}

/** A session's or user's scores per name, over all the group's traces (at most 50 names). */
export function groupScoresQuery(db: DataDb, projectId: string, by: "session" | "user", id: string) {
  const column = by === "session" ? traces.sessionId : traces.userId;
  return db.all<{ name: string; count: number; avg: number | null }>(
    sql`select s.name as name, count(*) as count, avg(s.value_num) as avg
        from ${traces} join scores s on s.project_id = ${traces.projectId} and s.trace_id = ${traces.traceId}
        where ${traces.projectId} = ${projectId} and ${column} = ${id}
        group by s.name order by s.name limit 50`,
  );
}

/**
 * Per session or user of a list page, per score name: how many scores and their mean, over the group's traces that
 * started in [from, to) (the list's range); the `names` asked for, or every name (the most scored ten per group).
 * Reads the page's groups' traces through their index, then each trace's scores through (project_id, trace_id, name).
 */
export async function groupListScoresQuery(
  db: DataDb,
  projectId: string,
  by: "session" | "user",
  ids: string[],
  q: { names?: string[]; from?: number; to?: number; user_id?: string },
) {
  const out = new Map<string, Array<{ name: string; count: number; avg: number | null }>>();
  if (!ids.length) return out;
  const column = by === "session" ? traces.sessionId : traces.userId;
  const rows = await db.all<{ id: string; name: string; count: number; avg: number | null }>(
    sql`select ${column} as id, s.name as name, count(*) as count, avg(s.value_num) as avg
        from ${traces} join scores s on s.project_id = ${traces.projectId} and s.trace_id = ${traces.traceId}
        where ${traces.projectId} = ${projectId}
          and ${column} in (select value from json_each(${JSON.stringify(ids)}))
          ${q.names?.length ? sql`and s.name in (select value from json_each(${JSON.stringify(q.names)}))` : sql``}
          ${q.from !== undefined ? sql`and ${traces.startTs} >= ${q.from}` : sql``}
          ${q.to !== undefined ? sql`and ${traces.startTs} < ${q.to}` : sql``}
          ${q.user_id !== undefined ? sql`and ${traces.userId} = ${q.user_id}` : sql``}
        group by 1, 2`,
  );
  for (const r of rows) out.set(r.id, [...(out.get(r.id) ?? []), { name: r.name, count: r.count, avg: r.avg }]);
  for (const [id, list] of out)
    out.set(
      id,
      list
        .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1))
        .slice(0, MAX_ROW_SCORES)
        .sort((a, b) => (a.name < b.name ? -1 : 1)),
    );
  return out;
}
