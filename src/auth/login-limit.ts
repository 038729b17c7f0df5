// Login throttling. Every attempt is counted before the password is checked, in one conditional upsert per key, so
// concurrent attempts can't slip past the limit. Per (email, IP): from the 5th attempt in a window, each next attempt
// must wait twice as long (15 s, 30 s, 1 min … up to 15 min): no hard lock, and a stranger failing from their IP never
// blocks the owner signing in from theirs. Per IP: at most 30 attempts a window across emails (password spraying).
import { type SQL, sql } from "drizzle-orm";
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

/** Counts one attempt on `key` unless it is blocked; `blockedFor(count, windowStart)` says until when the next waits. */
const countAttempt = (db: ControlDb, key: string, now: number, blockedFor: (count: SQL, windowStart: SQL) => SQL) =>
  loginAttemptCount(db, key, now, WINDOW_MS, blockedFor);

/**
 * Counts a login attempt for this email from this IP, before the password is checked. Throws 429 with Retry-After
 * when the pair or the IP must wait.
 */
export async function countLoginAttempt(db: ControlDb, email: string, ip: string, now = Date.now()) {
  const k = keys(email, ip);
  const pairDelay = (count: SQL) =>
    sql`iif(${count} >= ${FREE_ATTEMPTS}, ${now} + min(${MAX_DELAY_MS}, ${FIRST_DELAY_MS} * (1 << min(20, ${count} - ${FREE_ATTEMPTS}))), 0)`;
  const ipBlock = (count: SQL, windowStart: SQL) =>
    sql`iif(${count} >= ${IP_ATTEMPTS}, ${windowStart} + ${WINDOW_MS}, 0)`;
  const [pair, perIp] = await db.batch([
    countAttempt(db, k.pair, now, pairDelay),
    countAttempt(db, k.ip, now, ipBlock),
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
