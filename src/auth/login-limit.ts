// Login throttling. Every attempt is counted before the password is checked, in one conditional upsert per key, so
// concurrent attempts can't slip past the limit. Per (email, IP): from the 5th attempt in a window, each next attempt
// must wait twice as long (15 s, 30 s, 1 min … up to 15 min): no hard lock, and a stranger failing from their IP never
// blocks the owner signing in from theirs. Per IP: at most 30 attempts a window across emails (password spraying).
import type { ControlDb } from "../db/client.ts";
import { loginBlocks } from "../db/queries/auth.ts";
import { loginAttemptCount, loginAttemptsClear } from "../db/writes/auth.ts";
import { ApiError } from "../lib/errors.ts";
import { MINUTE_MS, SECOND_MS } from "../lib/time.ts";

const WINDOW_MS = 15 * MINUTE_MS;
/** Attempts per (email, IP) before delays start, and per IP within a window. */
const FREE_ATTEMPTS = 5;
const IP_ATTEMPTS = 30;
const FIRST_DELAY_MS = 15 * SECOND_MS;
const MAX_DELAY_MS = 15 * MINUTE_MS;

const keys = (email: string, ip: string) => ({ pair: `pair:${email}|${ip}`, ip: `ip:${ip}` });

/**
 * Counts a login attempt for this email from this IP, before the password is checked. Throws 429 with Retry-After
 * when the pair or the IP must wait.
 */
export async function countLoginAttempt(db: ControlDb, email: string, ip: string, now = Date.now()) {
  const k = keys(email, ip);
  const [pair, perIp] = await db.batch([
    loginAttemptCount(db, k.pair, now, WINDOW_MS, {
      delayFrom: FREE_ATTEMPTS,
      firstDelayMs: FIRST_DELAY_MS,
      maxDelayMs: MAX_DELAY_MS,
    }),
    loginAttemptCount(db, k.ip, now, WINDOW_MS, { blockFrom: IP_ATTEMPTS }),
  ]);
  if (pair.length && perIp.length) return;
  const rows = await loginBlocks(db, k.pair, k.ip);
  const until = Math.max(now + SECOND_MS, ...rows.map((r) => r.until));
  throw new ApiError("rate_limited", "Too many login attempts; wait before trying again.", {
    retry_after_seconds: Math.ceil((until - now) / SECOND_MS),
  });
}

/** A successful login clears its pair's count (the IP's window keeps counting). */
export async function clearLoginAttempts(db: ControlDb, email: string, ip: string) {
  await loginAttemptsClear(db, keys(email, ip).pair);
}
