// Writes behind sign-in (control plane): sessions, a key's last use, and the login throttle's counters.
import { and, eq, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { ControlDb } from "../client.ts";
import { apiKeys, loginFailures, sessions } from "../control-schema.ts";

export const sessionInsert = (control: ControlDb, session: typeof sessions.$inferInsert) =>
  control.insert(sessions).values(session);

export const sessionDelete = (control: ControlDb, tokenHash: string) =>
  control.delete(sessions).where(eq(sessions.tokenHash, tokenHash));

/** Sets a key's last use to `now` unless another request did within `resolutionMs`. */
export const keyLastUsedSet = (control: ControlDb, keyId: string, now: number, resolutionMs: number) =>
  control
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(and(eq(apiKeys.id, keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, now - resolutionMs))));

/**
 * How a login throttle key blocks: from the `delayFrom`th attempt of a window each next one waits twice as long
 * (`firstDelayMs` … `maxDelayMs`), or from the `blockFrom`th the key is blocked until the window ends.
 */
type LoginBlocking = { delayFrom: number; firstDelayMs: number; maxDelayMs: number } | { blockFrom: number };

const blockedUntil = (b: LoginBlocking, count: SQL, windowStart: SQL, windowMs: number, now: number) =>
  "blockFrom" in b
    ? sql`iif(${count} >= ${b.blockFrom}, ${windowStart} + ${windowMs}, 0)`
    : sql`iif(${count} >= ${b.delayFrom}, ${now} + min(${b.maxDelayMs}, ${b.firstDelayMs} * (1 << min(20, ${count} - ${b.delayFrom}))), 0)`;

/**
 * Counts one login attempt on `key` unless it is blocked, in one conditional upsert: a window older than `windowMs`
 * starts over, and `blocking` says until when the next attempt waits. Returns the row only when the attempt was
 * counted (not blocked).
 */
export function loginAttemptCount(
  control: ControlDb,
  key: string,
  now: number,
  windowMs: number,
  blocking: LoginBlocking,
) {
  const t = loginFailures;
  const expired = sql`${t.windowStart} + ${windowMs} <= ${now}`;
  const count = sql`iif(${expired}, 1, ${t.count} + 1)`;
  const windowStart = sql`iif(${expired}, ${now}, ${t.windowStart})`;
  return control
    .insert(t)
    .values({ key, count: 1, windowStart: now, blockedUntil: 0 })
    .onConflictDoUpdate({
      target: t.key,
      set: { count, windowStart, blockedUntil: blockedUntil(blocking, count, windowStart, windowMs, now) },
      setWhere: sql`${t.blockedUntil} <= ${now}`,
    })
    .returning({ count: t.count });
}

export const loginAttemptsClear = (control: ControlDb, key: string) =>
  control.delete(loginFailures).where(sql`${loginFailures.key} = ${key}`);
