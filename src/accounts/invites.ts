// Invite links: a random token (only its hash stored), single use, expiring.
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { invites, orgMembers, orgs } from "../db/schema.ts";
import { ApiError } from "../lib/errors.ts";
import { sha256Hex } from "../lib/ids.ts";

export async function findInvite(db: Database, token: string) {
  const [row] = await db
    .select({ invite: invites, orgName: orgs.name })
    .from(invites)
    .innerJoin(orgs, eq(orgs.id, invites.orgId))
    .where(eq(invites.tokenHash, await sha256Hex(token)))
    .limit(1);
  if (!row) throw new ApiError("not_found", "No such invite.");
  if (row.invite.acceptedAt !== null || row.invite.expiresAt <= Date.now()) {
    throw new ApiError("invite_expired", "This invite has expired or was already used.");
  }
  return row;
}

/** Marks the invite used by `userId` and adds the membership, atomically; the second use of a token fails. */
export async function acceptInvite(db: Database, token: string, userId: string) {
  const { invite, orgName } = await findInvite(db, token);
  const now = Date.now();
  const [claimed] = await db
    .update(invites)
    .set({ acceptedAt: now, acceptedBy: userId })
    .where(and(eq(invites.id, invite.id), isNull(invites.acceptedAt), gt(invites.expiresAt, now)))
    .returning({ id: invites.id });
  if (!claimed) throw new ApiError("invite_expired", "This invite has expired or was already used.");
  // Someone already in the org keeps their role: an invite never changes one.
  await db.insert(orgMembers).values({ orgId: invite.orgId, userId, role: invite.role }).onConflictDoNothing();
  return { org: { id: invite.orgId, name: orgName }, role: invite.role };
}
