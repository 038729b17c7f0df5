// Reads behind sign-in and access checks (control plane): a session's user, a presented key, a member's role, and the
// login throttle's blocks.
import { and, eq, gt, sql } from "drizzle-orm";
import type { ControlDb } from "../client.ts";
import { apiKeys, loginFailures, orgMembers, projects, sessions, users } from "../control-schema.ts";

/** The user of an unexpired session, by the token's hash. */
export async function sessionUserByHash(control: ControlDb, tokenHash: string, now: number) {
  const [row] = await control
    .select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
    .limit(1);
  return row?.user;
}

/** A key by its hash, with its project's org and placement (a key whose project is gone is not found). */
export async function keyByHash(control: ControlDb, keyHash: string) {
  const [found] = await control
    .select({ key: apiKeys, orgId: projects.orgId, shard: projects.shard })
    .from(apiKeys)
    .innerJoin(projects, eq(projects.id, apiKeys.projectId))
    .where(eq(apiKeys.keyHash, keyHash))
    .limit(1);
  return found;
}

/** A user's role in an org, or undefined for a non-member. */
export async function memberRole(control: ControlDb, orgId: string, userId: string) {
  const [row] = await control
    .select({ role: orgMembers.role })
    .from(orgMembers)
    .where(and(eq(orgMembers.orgId, orgId), eq(orgMembers.userId, userId)))
    .limit(1);
  return row?.role;
}

/**
 * A session's user and, in the same read, their access to one project (its org, placement and the user's role; all
 * null when the project is gone or not theirs): one round trip for every session-authenticated project read.
 */
export async function sessionUserWithProject(control: ControlDb, tokenHash: string, now: number, projectId: string) {
  const [row] = await control
    .select({ user: users, orgId: projects.orgId, shard: projects.shard, role: orgMembers.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(projects, eq(projects.id, projectId))
    .leftJoin(orgMembers, and(eq(orgMembers.orgId, projects.orgId), eq(orgMembers.userId, users.id)))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
    .limit(1);
  return row;
}

/** Until when the login throttle's two keys (an email and IP pair, and the IP) are blocked. */
export const loginBlocks = (control: ControlDb, pairKey: string, ipKey: string) =>
  control
    .select({ until: loginFailures.blockedUntil })
    .from(loginFailures)
    .where(sql`${loginFailures.key} in (${pairKey}, ${ipKey})`);
