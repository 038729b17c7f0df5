// Reads of orgs, their projects, members and open invites (control plane), for /api/orgs.
import { and, eq, gt, isNull } from "drizzle-orm";
import type { ControlDb } from "../client.ts";
import { invites, orgMembers, orgs, projects, users } from "../control-schema.ts";

/** The orgs a user belongs to, with their role. */
export const userOrgs = (control: ControlDb, userId: string) =>
  control
    .select({ id: orgs.id, name: orgs.name, role: orgMembers.role, created_at: orgs.createdAt })
    .from(orgMembers)
    .innerJoin(orgs, eq(orgs.id, orgMembers.orgId))
    .where(eq(orgMembers.userId, userId));

export const orgProjects = (control: ControlDb, orgId: string) =>
  control
    .select({ id: projects.id, name: projects.name, created_at: projects.createdAt })
    .from(projects)
    .where(eq(projects.orgId, orgId))
    .orderBy(projects.createdAt);

export const orgMemberList = (control: ControlDb, orgId: string) =>
  control
    .select({
      user_id: users.id,
      email: users.email,
      name: users.name,
      role: orgMembers.role,
      joined_at: orgMembers.createdAt,
    })
    .from(orgMembers)
    .innerJoin(users, eq(users.id, orgMembers.userId))
    .where(eq(orgMembers.orgId, orgId))
    .orderBy(orgMembers.createdAt);

/** A member's row, or undefined. */
export async function orgMember(control: ControlDb, orgId: string, userId: string) {
  const [member] = await control
    .select()
    .from(orgMembers)
    .where(and(eq(orgMembers.orgId, orgId), eq(orgMembers.userId, userId)));
  return member;
}

/** The user's email (what the audit log names), or the id when the user is gone. */
export const emailOf = async (control: ControlDb, userId: string) =>
  (await control.select({ email: users.email }).from(users).where(eq(users.id, userId)))[0]?.email ?? userId;

/** The org's invites not yet accepted nor expired. */
export const openInvites = (control: ControlDb, orgId: string, now = Date.now()) =>
  control
    .select({
      id: invites.id,
      role: invites.role,
      email: invites.email,
      created_at: invites.createdAt,
      expires_at: invites.expiresAt,
    })
    .from(invites)
    .where(and(eq(invites.orgId, orgId), isNull(invites.acceptedAt), gt(invites.expiresAt, now)));

/** A user's memberships (org and role), oldest org first. */
export const userMemberships = (control: ControlDb, userId: string) =>
  control
    .select({ id: orgs.id, name: orgs.name, role: orgMembers.role })
    .from(orgMembers)
    .innerJoin(orgs, eq(orgs.id, orgMembers.orgId))
    .where(eq(orgMembers.userId, userId))
    .orderBy(orgs.createdAt);

/** The projects of every org a user is a member of, oldest first: read beside `userMemberships`, not after it. */
export const projectsOfUser = (control: ControlDb, userId: string) =>
  control
    .select({ id: projects.id, orgId: projects.orgId, name: projects.name, createdAt: projects.createdAt })
    .from(projects)
    .innerJoin(orgMembers, eq(orgMembers.orgId, projects.orgId))
    .where(eq(orgMembers.userId, userId))
    .orderBy(projects.createdAt);

/** An invite by its token's hash, with its org's name. */
export async function inviteByHash(control: ControlDb, tokenHash: string) {
  const [row] = await control
    .select({ invite: invites, orgName: orgs.name })
    .from(invites)
    .innerJoin(orgs, eq(orgs.id, invites.orgId))
    .where(eq(invites.tokenHash, tokenHash))
    .limit(1);
  return row;
}
