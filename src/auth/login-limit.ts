// Failed-login lockout: too many failures for an email or an IP within the window answer 429 with Retry-After.
import { eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { loginFailures } from "../db/schema.ts";
import { ApiError } from "../lib/errors.ts";

const LOGIN_WINDOW_MS = 15 * 60_000;
const MAX_FAILURES = { email: 5, ip: 30 } as const;

const keysFor = (email: string, ip: string) => ({ email: `email:${email}`, ip: `ip:${ip}` });

/** Throws 429 if the email or the IP is locked out right now. */
export async function assertLoginAllowed(db: Database, email: string, ip: string, now = Date.now()) {
  const keys = keysFor(email, ip);
  const rows = await db
    .select()
    .from(loginFailures)
    .where(inArray(loginFailures.key, [keys.email, keys.ip]));
  for (const row of rows) {
    const limit = row.key === keys.email ? MAX_FAILURES.email : MAX_FAILURES.ip;
    const resetAt = row.windowStart + LOGIN_WINDOW_MS;
    if (row.count >= limit && resetAt > now) {
      throw new ApiError("rate_limited", "Too many failed logins; try again later.", {
        retry_after_seconds: Math.ceil((resetAt - now) / 1000),
      });
    }
  }
}

export async function recordLoginFailure(db: Database, email: string, ip: string, now = Date.now()) {
  const keys = keysFor(email, ip);
  const expired = sql`${loginFailures.windowStart} + ${LOGIN_WINDOW_MS} <= ${now}`;
  const bump = (key: string) =>
    db
      .insert(loginFailures)
      .values({ key, count: 1, windowStart: now })
      .onConflictDoUpdate({
        target: loginFailures.key,
        set: {
          count: sql`iif(${expired}, 1, ${loginFailures.count} + 1)`,
          windowStart: sql`iif(${expired}, ${now}, ${loginFailures.windowStart})`,
        },
      });
  await db.batch([bump(keys.email), bump(keys.ip)]);
}

export async function clearLoginFailures(db: Database, email: string) {
  await db.delete(loginFailures).where(eq(loginFailures.key, `email:${email}`));
}
