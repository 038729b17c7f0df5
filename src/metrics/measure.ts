// STAND-IN, replaced at merge by the monitoring work's rollup version (same path, same signature): it computes the
// same values from the raw `events` table so alerts can be built and tested before the rollups exist. Percentiles are
// nearest-rank; first_token_p95 is null here (first_token_ms is not stored on this branch).

export type WindowFilters = Partial<
  Record<"type" | "name" | "model" | "provider" | "status" | "environment" | "release" | "user_id", string[]>
>;
export type WindowQuery = {
  metric: string;
  filters: WindowFilters;
  from: number;
  to: number;
  group_by?: "user_id" | "model" | "name" | null;
  limit?: number;
};
/** One value per group (group null when not grouped): the metric over [from, to), and how many events it covers. */
export type WindowValue = { group: Record<string, string> | null; value: number | null; count: number };

const COLUMNS: Record<keyof WindowFilters, string> = {
  type: "type",
  name: "name",
  model: "model",
  provider: "provider",
  status: "status",
  user_id: "user_id",
  environment: "json_extract(context, '$.environment')",
  release: "json_extract(context, '$.release')",
};

/** SQL aggregate per metric; percentiles are computed from the durations instead. */
const AGGREGATES: Record<string, string> = {
  cost: "total(cost_usd)",
  count: "count(*)",
  error_count: "total(status = 'error')",
  error_rate: "total(status = 'error') * 1.0 / count(*)",
  input_tokens: "total(input_tokens)",
  output_tokens: "total(output_tokens)",
};
const PERCENTILES: Record<string, number> = { latency_p95: 0.95, latency_p99: 0.99 };

function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/** The metric over [from, to) for one project, per group (largest values first, at most `limit`). */
export async function measureWindow(data: D1Database, projectId: string, q: WindowQuery): Promise<WindowValue[]> {
  const where = ["project_id = ?", "ts >= ?", "ts < ?"];
  const binds: unknown[] = [projectId, q.from, q.to];
  for (const [key, values] of Object.entries(q.filters) as Array<[keyof WindowFilters, string[] | undefined]>) {
    if (!values?.length) continue;
    where.push(`${COLUMNS[key]} IN (${values.map(() => "?").join(", ")})`);
    binds.push(...values);
  }
  const group = q.group_by ? COLUMNS[q.group_by] : null;
  if (group) where.push(`${group} IS NOT NULL`);
  const limit = q.limit ?? 100;
  const toGroup = (g: string | null) => (q.group_by && g !== null ? { [q.group_by]: g } : null);

  if (q.metric in PERCENTILES || q.metric === "first_token_p95") {
    const { results } = await data
      .prepare(`SELECT ${group ?? "NULL"} AS g, duration_ms AS d FROM events WHERE ${where.join(" AND ")}`)
      .bind(...binds)
      .all<{ g: string | null; d: number | null }>();
    const byGroup = new Map<string | null, number[]>();
    if (!group) byGroup.set(null, []);
    for (const r of results) {
      const list = byGroup.get(r.g) ?? [];
      if (r.d !== null) list.push(r.d);
      byGroup.set(r.g, list);
    }
    const counts = new Map<string | null, number>();
    for (const r of results) counts.set(r.g, (counts.get(r.g) ?? 0) + 1);
    return [...byGroup]
      .map(([g, durations]) => ({
        group: toGroup(g),
        value: q.metric === "first_token_p95" ? null : percentile(durations, PERCENTILES[q.metric]!),
        count: counts.get(g) ?? 0,
      }))
      .sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity))
      .slice(0, limit);
  }
  const aggregate = AGGREGATES[q.metric];
  if (!aggregate) throw new Error(`unknown metric ${q.metric}`);
  const sql = group
    ? `SELECT ${group} AS g, ${aggregate} AS v, count(*) AS n FROM events WHERE ${where.join(" AND ")}
       GROUP BY g ORDER BY v DESC LIMIT ${limit}`
    : `SELECT NULL AS g, ${aggregate} AS v, count(*) AS n FROM events WHERE ${where.join(" AND ")}`;
  const { results } = await data
    .prepare(sql)
    .bind(...binds)
    .all<{ g: string | null; v: number | null; n: number }>();
  return results.map((r) => ({ group: toGroup(r.g), value: r.v, count: r.n }));
}
