// An org's usage report (GET /api/orgs/:org/usage): its usage_daily rows in range, summed by project, way in and day,
// and this month against its plan.
import { INGEST_SOURCES, type UsageReport } from "../../contract/usage.ts";
import { monthWarnings, orgMonth, orgUsage, type UsageRow } from "../db/queries/usage.ts";
import type { Bindings } from "../env.ts";
import { DAY_MS } from "../lib/time.ts";
import { planOf } from "./plans.ts";
import { monthOf } from "./quota.ts";

type Sums = UsageReport["totals"];
const zero = (): Sums => ({ events: 0, d1_bytes: 0, r2_bytes: 0, gateway_calls: 0, scores: 0 });
function add<T extends Sums>(sums: T, row: UsageRow): T {
  sums.events += row.events;
  sums.d1_bytes += row.d1_bytes;
  sums.r2_bytes += row.r2_bytes;
  sums.scores += row.scores;
  if (row.source === "gateway") sums.gateway_calls += row.events;
  return sums;
}

/** From 80% of the quota the dashboard warns; at 100% ingest refuses. */
export const NEAR_QUOTA = 0.8;

export async function usageReport(env: Bindings, orgId: string, range: { from?: number; to?: number }) {
  const now = Date.now();
  const month = monthOf(now);
  // Every UTC day the range touches, `to`'s own included: `to=2026-12-07` is that whole day, not an empty range.
  const to = Math.floor((range.to ?? now) / DAY_MS) * DAY_MS + DAY_MS;
  const from = Math.floor((range.from ?? month.start) / DAY_MS) * DAY_MS;
  const [rows, current, warnings] = await Promise.all([
    orgUsage(env.DB, orgId, from, to),
    orgMonth(env.DB, orgId, month.start),
    monthWarnings(env.DB, orgId, month.start),
  ]);
  const plan = planOf(env, current?.plan ?? null);
  const used = current?.used ?? 0;
  const limit = plan.events_per_month;
  const totals = zero();
  const projects = new Map<string, UsageReport["by_project"][number]>();
  const sources = new Map<string, UsageReport["by_source"][number]>();
  const days = new Map<number, UsageReport["days"][number]>();
  for (const row of rows) {
    add(totals, row);
    const p = projects.get(row.project_id) ?? { project_id: row.project_id, name: row.name, ...zero() };
    projects.set(row.project_id, add(p, row));
    if ((INGEST_SOURCES as readonly string[]).includes(row.source)) {
      sources.set(row.source, add(sources.get(row.source) ?? { source: row.source, ...zero() }, row));
    }
    days.set(row.day, add(days.get(row.day) ?? { day: row.day, ...zero() }, row));
  }
  const report: UsageReport = {
    org_id: orgId,
    from,
    to,
    plan: {
      name: plan.name,
      events_per_month: limit,
      retention_days: plan.retention_days,
      members: plan.members,
      gateway: plan.gateway,
    },
    month: {
      start: month.start,
      end: month.end,
      events: used,
      limit,
      state: limit === null ? "ok" : used >= limit ? "over" : used >= limit * NEAR_QUOTA ? "near" : "ok",
      warnings: warnings.map((w) => ({
        threshold: w.threshold,
        reached_at: w.reached_at,
        events: w.events,
        notified_at: w.notified_at,
        deliveries: w.deliveries,
      })),
    },
    totals,
    by_project: [...projects.values()].sort((a, b) => b.events - a.events),
    by_source: [...sources.values()].sort((a, b) => b.events - a.events),
    days: [...days.values()].sort((a, b) => a.day - b.day),
  };
  return report;
}
