// The quota warnings' first half, in the consumer: after it counts new events, the orgs behind them that have reached
// 80% or 100% of their plan's monthly events get one usage_warnings row per threshold and month (insert-or-ignore, so
// redelivery and overlapping consumers note it once). The every-minute run sends them (src/alerts/usage-warnings.ts).
import { USAGE_WARNING_THRESHOLDS } from "../../contract/usage.ts";
import { orgsMonthOfProjects } from "../db/queries/usage.ts";
import { usageWarningInsert } from "../db/writes/usage-counts.ts";
import { definedPlans, planOf } from "./plans.ts";
import { monthOf } from "./quota.ts";

export type PlanVars = { PLANS?: string; DEFAULT_PLAN?: string };

/** Warnings this isolate has noted (org, month, threshold): the insert is skipped once known. Bounded. */
const noted = new Set<string>();
const MAX_NOTED = 10_000;

/** Notes the thresholds reached by the orgs of these projects this month (nothing to do when no plan has a quota). */
export async function noteQuotaWarnings(control: D1Database, vars: PlanVars, projectIds: string[], now = Date.now()) {
  if (!projectIds.length || !Object.values(definedPlans(vars.PLANS)).some((p) => p.events_per_month !== null)) return;
  const month = monthOf(now).start;
  const statements: D1PreparedStatement[] = [];
  const marks: string[] = [];
  for (const org of await orgsMonthOfProjects(control, projectIds, month)) {
    const limit = planOf(vars, org.plan).events_per_month;
    if (limit === null) continue;
    for (const threshold of USAGE_WARNING_THRESHOLDS) {
      const mark = `${org.org_id}\u0000${month}\u0000${threshold}`;
      if (org.used < (limit * threshold) / 100 || noted.has(mark)) continue;
      statements.push(
        usageWarningInsert(control, { orgId: org.org_id, month, threshold, events: org.used, limit, at: now }),
      );
      marks.push(mark);
    }
  }
  if (!statements.length) return;
  await control.batch(statements);
  if (noted.size + marks.length > MAX_NOTED) noted.clear();
  for (const m of marks) noted.add(m);
}
