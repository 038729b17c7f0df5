// The `score_avg:<name>` metric of alert rules: a score's average over a window, per end user or not, from the scores
// table (its index on project, name and time), counted in scores. Kept apart so it can follow the metrics API's
// score reads when those exist.
import type { AlertFilters } from "../../contract/alerts.ts";
import { scoreAverageRows } from "../db/queries/score-averages.ts";

/** One group's value over the window (the shape of measure.ts's WindowValue, which reads this module). */
export type WindowValue = { group: Record<string, string> | null; value: number | null; count: number };

export type ScoreWindow = {
  name: string;
  filters: AlertFilters;
  groupBy: "user_id" | "model" | "name" | null;
  from: number;
  to: number;
};

/** The score's average over [from, to) (numeric and boolean scores; labels have no average), per group. */
export async function scoreAverages(data: D1Database, projectId: string, w: ScoreWindow): Promise<WindowValue[]> {
  const filters = Object.entries(w.filters).filter(([, v]) => v?.length);
  if (filters.some(([k]) => k !== "user_id") || w.groupBy === "model")
    throw new Error("score_avg rules filter by user_id only and group by user_id or name");
  const rows = await scoreAverageRows(data, projectId, {
    name: w.name,
    from: w.from,
    to: w.to,
    users: w.filters.user_id?.length ? w.filters.user_id : null,
    perUser: w.groupBy === "user_id",
  });
  if (!w.groupBy) return [{ group: null, value: rows[0]?.value ?? null, count: rows[0]?.count ?? 0 }];
  return rows.map(
    (r): WindowValue => ({
      group: w.groupBy === "user_id" ? { user_id: r.user_id ?? "" } : { name: w.name },
      value: r.value,
      count: r.count,
    }),
  );
}
