// Login throttling. Every attempt is counted before the password is checked, in one conditional upsert per key, so
// concurrent attempts can't slip past the limit. Per (email, IP): from the 5th attempt in a window, each next attempt
// must wait twice as long (15 s, 30 s, 1 min … up to 15 min): no hard lock, and a stranger failing from their IP never
// blocks the owner signing in from theirs. Per IP: at most 30 attempts a window across emails (password spraying).
import { sql } from "drizzle-orm";
import type { ControlDb } from "../db/client.ts";
import { loginFailures } from "../db/schema.ts";
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
function countAttempt(db: ControlDb, key: string, now: number, blockedFor: (count: SQL, windowStart: SQL) => SQL) {
  const t = loginFailures;
  const expired = sql`${t.windowStart} + ${WINDOW_MS} <= ${now}`;
  const count = sql`iif(${expired}, 1, ${t.count} + 1)`;
  const windowStart = sql`iif(${expired}, ${now}, ${t.windowStart})`;
  return db
    .insert(t)
    .values({ key, count: 1, windowStart: now, blockedUntil: 0 })
    .onConflictDoUpdate({
      target: t.key,
      set: { count, windowStart, blockedUntil: blockedFor(count, windowStart) },
      setWhere: sql`${t.blockedUntil} <= ${now}`,
    })
    .returning({ count: t.count });
}
type SQL = ReturnType<typeof sql>;

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
  const rows = await db
    .select({ until: loginFailures.blockedUntil })
    .from(loginFailures)
    .where(sql`${loginFailures.key} in (${k.pair}, ${k.ip})`);
  const until = Math.max(now + SECOND_MS, ...rows.map((r) => r.until));
  throw new ApiError("rate_limited", "Too many login attempts; wait before trying again.", {
    retry_after_seconds: Math.ceil((until - now) / SECOND_MS),
  });
}

/** A successful login clears its pair's count (the IP's window keeps counting). */
export async function clearLoginAttempts(db: ControlDb, email: string, ip: string) {
  await db.delete(loginFailures).where(sql`${loginFailures.key} = ${keys(email, ip).pair}`);
}
