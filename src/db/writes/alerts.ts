// Every write of the alert tables: rules with their channels, the claims of state changes (each with its transition
// record and deliveries, in one transaction), evaluation results, delivery attempts and channel health.
import { and, eq, isNull, lte, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AlertState } from "../../../contract/alerts.ts";
import { ALERT_LIMITS } from "../../../contract/alerts.ts";
import type { ControlDb } from "../client.ts";
import { alertAttempts, alertChannels, alertDeliveries, alertRules } from "../schema.ts";

export type NewDelivery = {
  id: string;
  channelId: string;
  /** `usage`: a quota warning sent to the rule's channel (src/alerts/usage-warnings.ts), not part of its history. */
  reason: "transition" | "renotify" | "test" | "usage";
  payload: string;
};

/**
 * A state change (or a renotification) one run wants to make. It is claimed with a conditional UPDATE on the state
 * and transition it read; only the run whose UPDATE changed the row records the transition and its deliveries (the
 * inserts that follow are guarded by `changes() = 1`, in the same transaction), so a notification is never sent twice.
 */
export type Claim = {
  alertId: string;
  groupKey: string;
  groupJson: string | null;
  /** What the run read: the state and transition (null state: no row yet), and when it last notified. */
  seen: { state: AlertState | null; transition: number; lastNotifiedAt: number | null };
  to: AlertState;
  renotify: boolean;
  value: number | null;
  count: number;
  threshold: number;
  at: number;
  transitionId: string;
  deliveries: NewDelivery[];
};

/** The claim's statements; the one at `claimIndex` returns a row when this run won the claim. */
export function claimStatements(d1: D1Database, c: Claim) {
  const statements: D1PreparedStatement[] = [];
  if (c.seen.state === null) {
    statements.push(
      d1
        .prepare(
          `INSERT INTO alert_states (alert_id, group_key, group_json, state, transition, since, value, count)
           VALUES (?, ?, ?, 'ok', 0, ?, ?, ?) ON CONFLICT DO NOTHING`,
        )
        .bind(c.alertId, c.groupKey, c.groupJson, c.at, c.value, c.count),
    );
  }
  const claimIndex = statements.length;
  const from = c.seen.state ?? "ok";
  if (c.renotify) {
    statements.push(
      d1
        .prepare(
          `UPDATE alert_states SET last_notified_at = ?, value = ?, count = ?
           WHERE alert_id = ? AND group_key = ? AND state = 'firing' AND transition = ? AND last_notified_at IS ?
           RETURNING transition`,
        )
        .bind(c.at, c.value, c.count, c.alertId, c.groupKey, c.seen.transition, c.seen.lastNotifiedAt),
    );
  } else {
    statements.push(
      d1
        .prepare(
          `UPDATE alert_states SET state = ?, transition = transition + 1, since = ?, value = ?, count = ?,
             group_json = ?, last_notified_at = ?
           WHERE alert_id = ? AND group_key = ? AND state = ? AND transition = ? RETURNING transition`,
        )
        .bind(c.to, c.at, c.value, c.count, c.groupJson, c.at, c.alertId, c.groupKey, from, c.seen.transition),
      d1
        .prepare(
          `INSERT INTO alert_transitions
             (id, alert_id, group_key, group_json, transition, from_state, to_state, value, count, threshold, at)
           SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE changes() = 1`,
        )
        .bind(
          c.transitionId,
          c.alertId,
          c.groupKey,
          c.groupJson,
          c.seen.transition + 1,
          from,
          c.to,
          c.value,
          c.count,
          c.threshold,
          c.at,
        ),
    );
  }
  for (const d of c.deliveries) statements.push(deliveryInsert(d1, c.alertId, d, c.at, true));
  return { statements, claimIndex };
}

/** A delivery row; `guarded`: only when the statement before it changed one row (the claim's chain). */
export function deliveryInsert(d1: D1Database, alertId: string, d: NewDelivery, at: number, guarded = false) {
  return d1
    .prepare(
      `INSERT INTO alert_deliveries (id, alert_id, channel_id, reason, payload, status, attempts, created_at, updated_at)
       SELECT ?, ?, ?, ?, ?, 'queued', 0, ?, ? ${guarded ? "WHERE changes() = 1" : ""}`,
    )
    .bind(d.id, alertId, d.channelId, d.reason, d.payload, at, at);
}

/** After a run judged a rule: when, and the recent values the dashboard charts (in the run's batch). */
export const evaluationDone = (d1: D1Database, alertId: string, at: number, recent: Array<[number, number | null]>) =>
  d1
    .prepare("UPDATE alert_rules SET last_evaluated_at = ?, last_error = NULL, recent = ? WHERE id = ?")
    .bind(at, JSON.stringify(recent), alertId);

/** A firing group's value of this run (for the dashboard; it does not change the state). */
export const firingValue = (d1: D1Database, alertId: string, groupKey: string, value: number | null, count: number) =>
  d1
    .prepare("UPDATE alert_states SET value = ?, count = ? WHERE alert_id = ? AND group_key = ? AND state = 'firing'")
    .bind(value, count, alertId, groupKey);

/** A run that could not judge a rule records why (the dashboard shows it). */
export const evaluationFailed = (d1: D1Database, alertId: string, at: number, error: string) =>
  d1
    .prepare("UPDATE alert_rules SET last_evaluated_at = ?, last_error = ? WHERE id = ?")
    .bind(at, error.slice(0, 500), alertId)
    .run();

export type AttemptResult = {
  status: number | null;
  response: string | null;
  error: string | null;
  durationMs: number;
};

/** Keeps one attempt and the delivery's status (the same attempt seen twice, at-least-once, is kept once). */
export async function recordAttempt(
  db: ControlDb,
  deliveryId: string,
  attempt: number,
  at: number,
  result: AttemptResult,
  status: "retrying" | "delivered" | "failed",
) {
  await db.batch([
    db
      .insert(alertAttempts)
      .values({ deliveryId, attempt, at, ...result })
      .onConflictDoUpdate({
        target: [alertAttempts.deliveryId, alertAttempts.attempt],
        set: {
          at,
          status: result.status,
          response: result.response,
          error: result.error,
          durationMs: result.durationMs,
        },
      }),
    db
      .update(alertDeliveries)
      .set({ status, attempts: sql`max(${alertDeliveries.attempts}, ${attempt})`, updatedAt: at })
      .where(eq(alertDeliveries.id, deliveryId)),
  ]);
}

/** A success clears the channel's failure (and enables it again if it had been disabled). */
export function channelSucceeded(db: ControlDb, channelId: string) {
  return db
    .update(alertChannels)
    .set({ failingSince: null, disabledAt: null, disabledReason: null })
    .where(eq(alertChannels.id, channelId));
}

/** A failure starts (or continues) the channel's failing period; after 24 h of it the channel is disabled. */
export async function channelFailed(db: ControlDb, channelId: string, at: number, reason: string) {
  await db.batch([
    db
      .update(alertChannels)
      .set({ failingSince: sql`coalesce(${alertChannels.failingSince}, ${at})` })
      .where(eq(alertChannels.id, channelId)),
    db
      .update(alertChannels)
      .set({ disabledAt: at, disabledReason: `Deliveries failed for 24 hours (last: ${reason.slice(0, 200)})` })
      .where(
        and(
          eq(alertChannels.id, channelId),
          isNull(alertChannels.disabledAt),
          lte(alertChannels.failingSince, at - ALERT_LIMITS.disableAfterMs),
        ),
      ),
  ]);
}

/**
 * Claims up to `limit` deliveries recorded but never attempted since `before` (their queue send failed, or the run died
 * between the claim and the send), created after `since`: their `updated_at` moves to `at`, so an overlapping sweep
 * claims none of them again. Older ones are given up as failed. Returns the claimed ids.
 */
export async function claimUnsentDeliveries(d1: D1Database, before: number, since: number, at: number, limit: number) {
  const [claimed] = await d1.batch<{ id: string }>([
    d1
      .prepare(
        `UPDATE alert_deliveries SET updated_at = ?1
         WHERE id IN (SELECT id FROM alert_deliveries WHERE status = 'queued' AND attempts = 0 AND updated_at <= ?2
                      AND created_at > ?3 ORDER BY updated_at LIMIT ?4)
           AND status = 'queued' AND attempts = 0 AND updated_at <= ?2
         RETURNING id`,
      )
      .bind(at, before, since, limit),
    d1
      .prepare(
        `UPDATE alert_deliveries SET status = 'failed', updated_at = ?1
         WHERE id IN (SELECT id FROM alert_deliveries WHERE status = 'queued' AND attempts = 0 AND updated_at <= ?2
                      AND created_at <= ?3 LIMIT ?4)`,
      )
      .bind(at, before, since, limit),
  ]);
  return (claimed?.results ?? []).map((r) => r.id);
}

/** A new rule and its channels (statements for the route's batch with its audit entry). */
export const ruleInsert = (
  db: ControlDb,
  rule: typeof alertRules.$inferInsert,
  channels: (typeof alertChannels.$inferInsert)[],
): [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]] => [
  db.insert(alertRules).values(rule),
  ...(channels.length ? [db.insert(alertChannels).values(channels)] : []),
];

/** Deletes a rule of the project (its channels, states and history go with it: foreign keys). */
export const ruleDelete = (db: ControlDb, projectId: string, alertId: string) =>
  db.delete(alertRules).where(and(eq(alertRules.id, alertId), eq(alertRules.projectId, projectId)));
