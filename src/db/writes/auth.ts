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
 * Counts one login attempt on `key` unless it is blocked, in one conditional upsert: a window older than `windowMs`
 * starts over, and `blockedFor(count, windowStart)` says until when the next attempt waits. Returns the row only when
 * the attempt was counted (not blocked).
 */
export function loginAttemptCount(
  control: ControlDb,
  key: string,
  now: number,
  windowMs: number,
  blockedFor: (count: SQL, windowStart: SQL) => SQL,
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
      set: { count, windowStart, blockedUntil: blockedFor(count, windowStart) },
      setWhere: sql`${t.blockedUntil} <= ${now}`,
    })
    .returning({ count: t.count });
}

export const loginAttemptsClear = (control: ControlDb, key: string) =>
  control.delete(loginFailures).where(sql`${loginFailures.key} = ${key}`);
