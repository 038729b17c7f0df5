// Writes of org membership and invites (control plane), for /api/orgs.
import { and, eq, gt, isNull, ne, or, sql } from "drizzle-orm";
import type { Role } from "../../../contract/constants.ts";
import type { ControlDb } from "../client.ts";
import { invites, orgMembers, orgs } from "../control-schema.ts";

/**
 * The member's row, unless it is the org's last owner: one condition inside the statement that changes it, so two
 * owners demoting or removing themselves at once can't leave the org without one.
 */
const notLastOwner = (orgId: string, userId: string) =>
  and(
    eq(orgMembers.orgId, orgId),
    eq(orgMembers.userId, userId),
    or(
      ne(orgMembers.role, "owner"),
      sql`(SELECT count(*) FROM org_members o WHERE o.org_id = ${orgId} AND o.role = 'owner') > 1`,
    ),
  );

/** Sets a member's role; returns nothing when that would leave the org without an owner. */
export const memberRoleUpdate = (control: ControlDb, orgId: string, userId: string, role: Role) =>
  control
    .update(orgMembers)
    .set({ role })
    .where(
      role === "owner" ? and(eq(orgMembers.orgId, orgId), eq(orgMembers.userId, userId)) : notLastOwner(orgId, userId),
    )
    .returning({ role: orgMembers.role });

/** Removes a member; returns nothing when it is the org's last owner. */
export const memberDelete = (control: ControlDb, orgId: string, userId: string) =>
  control.delete(orgMembers).where(notLastOwner(orgId, userId)).returning({ id: orgMembers.userId });

export const inviteInsert = (control: ControlDb, invite: typeof invites.$inferInsert) =>
  control.insert(invites).values(invite);

/** Revokes an invite of the org; returns it, or nothing when the org has no such invite. */
export const inviteDelete = (control: ControlDb, orgId: string, inviteId: string) =>
  control
    .delete(invites)
    .where(and(eq(invites.id, inviteId), eq(invites.orgId, orgId)))
    .returning({ id: invites.id });

export const orgInsert = (control: ControlDb, org: typeof orgs.$inferInsert) => control.insert(orgs).values(org);

export const memberInsert = (control: ControlDb, member: typeof orgMembers.$inferInsert) =>
  control.insert(orgMembers).values(member);

/** Adds a member unless already in the org (who then keeps their role). */
export const memberJoin = (control: ControlDb, member: typeof orgMembers.$inferInsert) =>
  control.insert(orgMembers).values(member).onConflictDoNothing();

/** Marks an unused, unexpired invite used by `userId`; returns it, or nothing when another claim won or it expired. */
export const inviteClaim = (control: ControlDb, inviteId: string, userId: string, now: number) =>
  control
    .update(invites)
    .set({ acceptedAt: now, acceptedBy: userId })
    .where(and(eq(invites.id, inviteId), isNull(invites.acceptedAt), gt(invites.expiresAt, now)))
    .returning({ id: invites.id });

/** Gives back `userId`'s claim on an invite. */
export const inviteRelease = (control: ControlDb, inviteId: string, userId: string) =>
  control
    .update(invites)
    .set({ acceptedAt: null, acceptedBy: null })
    .where(and(eq(invites.id, inviteId), eq(invites.acceptedBy, userId)));
