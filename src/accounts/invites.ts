// Invite links: a random token (only its hash stored), single use, expiring, and bound to an email when given one.
// Using one is a claim: one conditional UPDATE, so of concurrent uses exactly one wins.
import type { ControlDb } from "../db/client.ts";
import { inviteByHash } from "../db/queries/orgs.ts";
import type { invites } from "../db/schema.ts";
import { inviteClaim, inviteRelease, memberJoin } from "../db/writes/orgs.ts";
import { ApiError } from "../lib/errors.ts";
import { sha256Hex } from "../lib/ids.ts";

const used = () => new ApiError("invite_expired", "This invite has expired or was already used.");

export async function findInvite(db: ControlDb, token: string) {
  const row = await inviteByHash(db, await sha256Hex(token));
  if (!row) throw new ApiError("not_found", "No such invite.");
  if (row.invite.acceptedAt !== null || row.invite.expiresAt <= Date.now()) throw used();
  return row;
}

/** An invite made out to an email can only be used by that email. */
function checkEmail(invite: { email: string | null }, email: string) {
  if (invite.email && invite.email.toLowerCase() !== email.toLowerCase()) {
    throw new ApiError("forbidden", "This invite was made out to another email address.");
  }
}

/** Marks the invite used by `userId` (who need not exist yet): exactly one of concurrent claims succeeds. */
export async function claimInvite(db: ControlDb, token: string, userId: string, email: string) {
  const { invite, orgName } = await findInvite(db, token);
  checkEmail(invite, email);
  const now = Date.now();
  const [claimed] = await inviteClaim(db, invite.id, userId, now);
  if (!claimed) throw used();
  return { invite, orgName };
}

/** Gives a claim back (the sign-up it was for failed), so the link still works. */
export async function releaseInvite(db: ControlDb, inviteId: string, userId: string) {
  await inviteRelease(db, inviteId, userId);
}

/** The membership statement for a claimed invite; someone already in the org keeps their role. */
export const joinStatement = (
  db: ControlDb,
  invite: { orgId: string; role: typeof invites.$inferSelect.role },
  userId: string,
) => memberJoin(db, { orgId: invite.orgId, userId, role: invite.role });

/** Claims the invite for an existing user and adds the membership. */
export async function acceptInvite(db: ControlDb, token: string, user: { id: string; email: string }) {
  const { invite, orgName } = await claimInvite(db, token, user.id, user.email);
  await joinStatement(db, invite, user.id);
  return { org: { id: invite.orgId, name: orgName }, role: invite.role };
}
