// Reads naming the end user (`user_id`) together with other fields. The per-user rollups keep the user alone: with every
// dimension beside it they would write about one row per event (users × models × names × … per bucket), twice the
// write budget. So these read the events of the users concerned, which is bounded by those users' events: the users
// filtered, or the top `limit` users by the metric (ranked on the per-user rollup over all their events), the rest
// (`{ other: true }`) being everything else, from the dimension rollups less the groups shown.
import type { MetricField, MetricFilters } from "../../contract/metrics.ts";
import { eventRows, type Grain, type Read, rollupRows } from "../db/queries/metrics.ts";
import { type Grouped, groupRows, needsSketches, subtractSums, topGroups } from "./aggregate.ts";

/** Whether a read names `user_id` and another field (grouped or filtered): no rollup answers it. */
export function mixesUsers(fields: readonly MetricField[], filters: MetricFilters): boolean {
  const named = [...fields, ...(Object.keys(filters) as MetricField[])];
  return named.includes("user_id") && named.some((f) => f !== "user_id");
}

/** The top `limit` end users in [from, to) by `metric`, over all their events (the per-user rollup). */
async function topUsers(d1: D1Database, projectId: string, grain: Grain, r: Read, metric: string, limit: number) {
  const rows = await rollupRows(d1, projectId, grain, {
    ...r,
    size: Number.MAX_SAFE_INTEGER,
    fields: ["user_id"],
    filters: {},
    sketches: needsSketches([metric]),
  });
  return topGroups(groupRows(rows, ["user_id"]), metric, limit).top.map((g) => g.group.user_id!);
}

/**
 * The groups of a read that names `user_id` with other fields (see mixesUsers): the top `limit` by `metric`, and the
 * rest summed. Exact for every group shown; when no user is filtered, the users are the top ones over all their events.
 */
export async function userGroups(
  d1: D1Database,
  projectId: string,
  grain: Grain,
  r: Read,
  metric: string,
  limit: number,
): Promise<{ top: Grouped[]; other: Grouped | null }> {
  const filtered = r.filters.user_id;
  const users = filtered ?? (await topUsers(d1, projectId, grain, r, metric, limit));
  const rows = users.length ? await eventRows(d1, projectId, { ...r, filters: { ...r.filters, user_id: users } }) : [];
  const { top, other } = topGroups(groupRows(rows, r.fields), metric, limit);
  if (filtered) return { top, other };
  // Not filtered by user: the rest is every event matching the other filters (any user, or none) less the groups shown.
  const [all] = groupRows(await rollupRows(d1, projectId, grain, { ...r, fields: [] }), []);
  if (!all) return { top, other: null };
  for (const g of top) {
    subtractSums(all.total, g.total);
    for (const [t, s] of g.buckets) {
      const b = all.buckets.get(t);
      if (b) subtractSums(b, s);
    }
  }
  return { top, other: all.total.count > 0 ? { ...all, group: {} } : null };
}
