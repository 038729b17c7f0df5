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

/** ?1 JSON project ids, ?2 the month's start: each of their orgs once, with its plan and events this month. */
const ORGS_MONTH_SQL = `SELECT o.id AS org_id, o.plan, coalesce((SELECT sum(u.events) FROM usage_daily u
    WHERE u.org_id = o.id AND u.day >= ?2), 0) AS used
  FROM orgs o WHERE o.id IN (SELECT p.org_id FROM projects p WHERE p.id IN (SELECT value FROM json_each(?1)))`;

export const orgsMonthOfProjects = async (control: D1Database, projectIds: string[], monthStart: number) =>
  (await control.prepare(ORGS_MONTH_SQL).bind(JSON.stringify(projectIds), monthStart).all<QuotaState>()).results;

export type UsageRow = {
  project_id: string;
  name: string | null;
  day: number;
  source: IngestSource;
  events: number;
  d1_bytes: number;
  r2_bytes: number;
  scores: number;
};

/** ?1 org id, ?2 from, ?3 to (day starts, inclusive from, exclusive to): its usage rows, with the projects' names. */
const ORG_USAGE_SQL = `SELECT u.project_id, p.name, u.day, u.source, u.events, u.d1_bytes, u.r2_bytes, u.scores
  FROM usage_daily u LEFT JOIN projects p ON p.id = u.project_id
  WHERE u.org_id = ?1 AND u.day >= ?2 AND u.day < ?3 ORDER BY u.day`;

export async function orgUsage(control: D1Database, orgId: string, from: number, to: number) {
  return (await control.prepare(ORG_USAGE_SQL).bind(orgId, from, to).all<UsageRow>()).results;
}

export type WarningRow = {
  org_id: string;
  month: number;
  threshold: number;
  events: number;
  event_limit: number;
  reached_at: number;
  notified_at: number | null;
  deliveries: number;
};

/** An org's quota warnings of one month, by threshold. */
export async function monthWarnings(control: D1Database, orgId: string, month: number) {
  const sql = "SELECT * FROM usage_warnings WHERE org_id = ?1 AND month = ?2 ORDER BY threshold";
  return (await control.prepare(sql).bind(orgId, month).all<WarningRow>()).results;
}

/** Warnings not sent yet (oldest first), with the org's name and plan. */
export async function pendingWarnings(control: D1Database, limit: number) {
  const sql = `SELECT w.*, o.name AS org_name, o.plan FROM usage_warnings w JOIN orgs o ON o.id = w.org_id
    WHERE w.notified_at IS NULL ORDER BY w.reached_at LIMIT ?1`;
  return (await control.prepare(sql).bind(limit).all<WarningRow & { org_name: string; plan: string | null }>()).results;
}

export type OrgChannel = {
  id: string;
  alert_id: string;
  type: string;
  target: string;
  project_id: string;
  origin: string;
};

/**
 * Where an org's quota warnings go: the enabled channels of the enabled alert rules of its projects, each destination
 * once (the first rule's channel, oldest rule first).
 */
export async function orgAlertChannels(control: D1Database, orgId: string) {
  const sql = `SELECT c.id, c.alert_id, c.type, c.target, r.project_id, r.origin FROM alert_channels c
    JOIN alert_rules r ON r.id = c.alert_id JOIN projects p ON p.id = r.project_id
    WHERE p.org_id = ?1 AND r.enabled = 1 AND c.disabled_at IS NULL ORDER BY r.created_at, c.position`;
  const rows = (await control.prepare(sql).bind(orgId).all<OrgChannel>()).results;
  const seen = new Set<string>();
  return rows.filter((c) => {
    const key = `${c.type}\u0000${c.target}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** An org's plan name (null: the instance's default plan). */
export const orgPlanName = async (control: D1Database, orgId: string) =>
  (await control.prepare("SELECT plan FROM orgs WHERE id = ?1").bind(orgId).first<string | null>("plan")) ?? null;

/** ?1 org id, ?2 now: members plus invites still open. */
const SEATS_SQL = `SELECT (SELECT count(*) FROM org_members WHERE org_id = ?1) +
  (SELECT count(*) FROM invites WHERE org_id = ?1 AND accepted_at IS NULL AND expires_at > ?2) AS seats`;

/** The seats an org uses at `now`: its members and its invites still open. */
export const seatsTaken = async (control: D1Database, orgId: string, now: number) =>
  (await control.prepare(SEATS_SQL).bind(orgId, now).first<number>("seats")) ?? 0;
