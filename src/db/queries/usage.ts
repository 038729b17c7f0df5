// Reads of usage_daily (control plane): one org's usage in a range, and what the quota check needs per project.
import type { IngestSource } from "../../../contract/usage.ts";

/** ?1 project id, ?2 the month's start: the project's org, the org's plan and its events stored this month. */
const QUOTA_STATE_SQL = `SELECT p.org_id, o.plan, coalesce((SELECT sum(u.events) FROM usage_daily u
    WHERE u.org_id = p.org_id AND u.day >= ?2), 0) AS used
  FROM projects p JOIN orgs o ON o.id = p.org_id WHERE p.id = ?1`;

export type QuotaState = { org_id: string; plan: string | null; used: number };

/** The org, plan and month's events behind a project (null: no such project). */
export const quotaState = (control: D1Database, projectId: string, monthStart: number) =>
  control.prepare(QUOTA_STATE_SQL).bind(projectId, monthStart).first<QuotaState>();

/** ?1 org id: its plan name and its events since ?2. */
const ORG_MONTH_SQL = `SELECT o.plan, coalesce((SELECT sum(u.events) FROM usage_daily u
    WHERE u.org_id = o.id AND u.day >= ?2), 0) AS used FROM orgs o WHERE o.id = ?1`;

export const orgMonth = (control: D1Database, orgId: string, monthStart: number) =>
  control.prepare(ORG_MONTH_SQL).bind(orgId, monthStart).first<{ plan: string | null; used: number }>();

export type UsageRow = {
  project_id: string;
  name: string | null;
  day: number;
  source: IngestSource;
  events: number;
  d1_bytes: number;
  r2_bytes: number;
};

/** ?1 org id, ?2 from, ?3 to (day starts, inclusive from, exclusive to): its usage rows, with the projects' names. */
const ORG_USAGE_SQL = `SELECT u.project_id, p.name, u.day, u.source, u.events, u.d1_bytes, u.r2_bytes
  FROM usage_daily u LEFT JOIN projects p ON p.id = u.project_id
  WHERE u.org_id = ?1 AND u.day >= ?2 AND u.day < ?3 ORDER BY u.day`;

export async function orgUsage(control: D1Database, orgId: string, from: number, to: number) {
  return (await control.prepare(ORG_USAGE_SQL).bind(orgId, from, to).all<UsageRow>()).results;
}
