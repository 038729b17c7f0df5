// The plan's limits outside ingest: members (pending invites count, so accepting one never passes the limit) and the
// longest retention a project may set.
import type { Bindings } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { planOf } from "./plans.ts";

const PLAN_SQL = "SELECT plan FROM orgs WHERE id = ?1";
/** ?1 org id, ?2 now: members plus invites still open. */
const SEATS_SQL = `SELECT (SELECT count(*) FROM org_members WHERE org_id = ?1) +
  (SELECT count(*) FROM invites WHERE org_id = ?1 AND accepted_at IS NULL AND expires_at > ?2) AS seats`;

const orgPlan = async (env: Bindings, orgId: string) =>
  planOf(env, (await env.DB.prepare(PLAN_SQL).bind(orgId).first<string | null>("plan")) ?? null);

/** Refuses a new invite once members and open invites fill the plan's `members`. */
export async function guardSeats(env: Bindings, orgId: string) {
  const plan = await orgPlan(env, orgId);
  if (plan.members === null) return;
  const seats = (await env.DB.prepare(SEATS_SQL).bind(orgId, Date.now()).first<number>("seats")) ?? 0;
  if (seats >= plan.members) {
    throw new ApiError("plan_limit", `The ${plan.name} plan has ${plan.members} members, open invites included.`, {
      plan: plan.name,
      members: plan.members,
      seats,
    });
  }
}

/** Refuses a retention (days; null: the instance's default, `defaultDays`) longer than the plan's `retention_days`. */
export async function guardRetention(env: Bindings, orgId: string, days: number | null, defaultDays: number | null) {
  const plan = await orgPlan(env, orgId);
  const wanted = days ?? defaultDays;
  if (plan.retention_days === null || (wanted !== null && wanted <= plan.retention_days)) return;
  throw new ApiError("plan_limit", `The ${plan.name} plan keeps traces at most ${plan.retention_days} days.`, {
    plan: plan.name,
    retention_days: plan.retention_days,
  });
}
