// API keys: minting, hashing and the one lookup that turns a presented key into its project.
import type { KeyKind } from "../../contract/constants.ts";
import type { ControlDb } from "../db/client.ts";
import { keyByHash } from "../db/queries/auth.ts";
import type { ApiKeyRow } from "../db/schema.ts";
import { keyLastUsedSet } from "../db/writes/auth.ts";
import { ApiError } from "../lib/errors.ts";
import { newId, randomToken, sha256Hex } from "../lib/ids.ts";
import { MINUTE_MS } from "../lib/time.ts";

const KEY_PREFIX: Record<KeyKind, string> = { ingest: "wl_ingest_", secret: "wl_secret_" };
/** last_used_at is refreshed at most this often, so a busy key doesn't cost a write per request. */
const LAST_USED_RESOLUTION_MS = MINUTE_MS;

/** The key in `Authorization: Bearer <key>`, if the header has that form. */
export const bearerToken = (header: string | undefined | null) => header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];

/** The row that stores a key: its hash and a display prefix, never the key. */
export async function keyRow(projectId: string, kind: KeyKind, plaintext: string, name = "", id = newId("key")) {
  return {
    id,
    projectId,
    kind,
    name,
    keyHash: await sha256Hex(plaintext),
    prefix: plaintext.slice(0, KEY_PREFIX[kind].length + 4),
  };
}

/** A new key's plaintext (shown once) and the row to store. */
export async function mintKey(projectId: string, kind: KeyKind, name = "") {
  const plaintext = KEY_PREFIX[kind] + randomToken(32);
  return { plaintext, row: await keyRow(projectId, kind, plaintext, name) };
}

/** Resolves a presented key to its row; 401 for a missing, unknown or revoked key. */
export async function findKey(db: ControlDb, presented: string | undefined | null) {
  if (!presented) throw new ApiError("missing_api_key", "Send an API key as `Authorization: Bearer <key>`.");
  // One round trip: the key and its project's org (a key whose project is gone is not valid).
  const found = await keyByHash(db, await sha256Hex(presented));
  if (!found)
    throw new ApiError(
      "invalid_api_key",
      "The API key is not valid: check the key, and the URL it is sent to (baseUrl in the SDKs).",
    );
  if (found.key.revokedAt !== null) throw new ApiError("revoked_api_key", "The API key has been revoked.");
  return { ...found.key, orgId: found.orgId, shard: found.shard };
}

/**
 * The key of an `Authorization` header: `Bearer <key>`, or `Basic base64(user:pass)` where either part is a WatchLLM
 * key (Langfuse's clients send public:secret key pairs; OTel exporters configured for Langfuse keep working).
 */
export async function keyFromAuthorization(db: ControlDb, header: string | undefined) {
  const bearer = bearerToken(header);
  if (bearer) return findKey(db, bearer);
  const basic = header?.match(/^Basic\s+(\S+)\s*$/i)?.[1];
  if (!basic) return findKey(db, undefined);
  let decoded = "";
  try {
    decoded = atob(basic);
  } catch {
    throw new ApiError("invalid_api_key", "The Basic credentials are not valid base64.");
  }
  const colon = decoded.indexOf(":");
  const parts = (colon < 0 ? [decoded] : [decoded.slice(0, colon), decoded.slice(colon + 1)]).filter(Boolean);
  let failure = new ApiError("missing_api_key", "Send a WatchLLM key as the Basic user or password.");
  for (const part of parts) {
    try {
      return await findKey(db, part);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
      if (failure.code !== "revoked_api_key") failure = err;
    }
  }
  throw failure;
}

/** Records that a key was used, at most once a minute. */
export function touchKey(db: ControlDb, key: ApiKeyRow, now = Date.now()) {
  if (key.lastUsedAt !== null && now - key.lastUsedAt < LAST_USED_RESOLUTION_MS) return Promise.resolve();
  return keyLastUsedSet(db, key.id, now, LAST_USED_RESOLUTION_MS)
    .run()
    .then(() => undefined);
}
