// The plan's limits outside ingest: members (pending invites count, so accepting one never passes the limit) and the
// longest retention a project may set.
import { orgPlanName, seatsTaken } from "../db/queries/usage.ts";
import type { Bindings } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { planOf } from "./plans.ts";

const orgPlan = async (env: Bindings, orgId: string) => planOf(env, await orgPlanName(env.DB, orgId));

/** Refuses a new invite once members and open invites fill the plan's `members`. */
export async function guardSeats(env: Bindings, orgId: string) {
  const plan = await orgPlan(env, orgId);
  if (plan.members === null) return;
  const seats = await seatsTaken(env.DB, orgId, Date.now());
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
