// WatchLLM-Auth: the caller's ingest or secret key, resolved through the one key lookup and cached per isolate so a
// gateway call normally costs no database round trip. A revoked key keeps working for at most keyCacheMs.
import { findKey, touchKey } from "../auth/keys.ts";
import type { ControlDb } from "../db/client.ts";
import { ApiError } from "../lib/errors.ts";
import { sha256Hex } from "../lib/ids.ts";
import { GatewayError } from "./errors.ts";
import { GATEWAY_LIMITS } from "./limits.ts";

type Key = Awaited<ReturnType<typeof findKey>>;
type Entry = { at: number; lookup: Promise<Key | GatewayError> };

/** By the SHA-256 of the presented key; a miss and the lookups running meanwhile share one D1 read. */
const keys = new Map<string, Entry>();

function bearer(header: string | undefined) {
  return header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
}

async function lookup(db: () => ControlDb, presented: string): Promise<Key | GatewayError> {
  try {
    return await findKey(db(), presented);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    if (err.code === "revoked_api_key")
      return new GatewayError("watchllm_revoked_auth", "The WatchLLM key in WatchLLM-Auth has been revoked.");
    return new GatewayError("watchllm_invalid_auth", "The WatchLLM key in WatchLLM-Auth is not valid.");
  }
}

/** The caller's key, or a 401 GatewayError. Failed D1 reads are not cached. `db` is only built on a cache miss. */
export async function authenticate(db: () => ControlDb, header: string | undefined): Promise<Key> {
  const presented = bearer(header);
  if (!presented)
    throw new GatewayError(
      "watchllm_missing_auth",
      "Send your WatchLLM ingest or secret key as `WatchLLM-Auth: Bearer <key>`.",
    );
  const hash = await sha256Hex(presented);
  const now = Date.now();
  let entry = keys.get(hash);
  if (!entry || now - entry.at >= GATEWAY_LIMITS.keyCacheMs) {
    if (keys.size >= GATEWAY_LIMITS.keyCacheEntries) keys.delete(keys.keys().next().value!);
    entry = { at: now, lookup: lookup(db, presented) };
    keys.set(hash, entry);
    entry.lookup.catch(() => keys.delete(hash));
  }
  const found = await entry.lookup;
  if (found instanceof GatewayError) throw found;
  return found;
}

/** Records the key's use (at most once a minute, like the ingest route) without a write per cached call. */
export function touchCachedKey(db: () => ControlDb, key: Key): Promise<void> {
  const now = Date.now();
  if (key.lastUsedAt !== null && now - key.lastUsedAt < 60_000) return Promise.resolve();
  key.lastUsedAt = now;
  return touchKey(db(), { ...key, lastUsedAt: null }, now);
}
