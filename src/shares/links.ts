// Share links: minting a link's token (only its hash is stored, as for API keys), the link as listed, and the one
// lookup that turns a presented token into its live link. Unknown, revoked and expired tokens all answer the same 404.
import type { ShareLink } from "../../contract/shares.ts";
import type { ControlDb } from "../db/client.ts";
import { shareByHash } from "../db/queries/shares.ts";
import type { ShareLinkRow } from "../db/schema.ts";
import { ApiError } from "../lib/errors.ts";
import { newId, randomToken, sha256Hex } from "../lib/ids.ts";
import { DAY_MS } from "../lib/time.ts";

const TOKEN_PREFIX = "wl_share_";

/** What is stored of a token, and what rate limits count by. */
export const shareTokenHash = (token: string) => sha256Hex(token);
/** A token is 43 characters; anything longer is not one of ours (and is not hashed). */
const MAX_TOKEN_CHARS = 64;

/** A new link's token (shown once) and the row to store. */
export async function mintShare(
  input: { projectId: string; traceId: string; hideIo: boolean; expiresInDays?: number | null; createdBy: string },
  now = Date.now(),
) {
  const token = TOKEN_PREFIX + randomToken(34);
  const row = {
    id: newId("shr"),
    projectId: input.projectId,
    traceId: input.traceId,
    tokenHash: await shareTokenHash(token),
    hideIo: input.hideIo,
    createdBy: input.createdBy,
    createdAt: now,
    expiresAt: input.expiresInDays ? now + input.expiresInDays * DAY_MS : null,
  };
  return { token, row };
}

export const sharePath = (token: string) => `/share/${token}`;

export const shareView = (r: ShareLinkRow, createdByName: string | null): ShareLink => ({
  id: r.id,
  project_id: r.projectId,
  trace_id: r.traceId,
  hide_io: r.hideIo,
  created_by: r.createdBy,
  created_by_name: createdByName,
  created_at: r.createdAt,
  expires_at: r.expiresAt,
  revoked_at: r.revokedAt,
});

const gone = () => new ApiError("not_found", "This shared link does not exist, or no longer works.");

/** The live link of a presented token, with its project's data database; 404 for unknown, revoked or expired. */
export async function findShare(db: ControlDb, token: string, hash: string, now = Date.now()) {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > MAX_TOKEN_CHARS) throw gone();
  const found = await shareByHash(db, hash);
  if (!found || found.link.revokedAt !== null || (found.link.expiresAt !== null && found.link.expiresAt <= now))
    throw gone();
  return { ...found.link, shard: found.shard };
}
