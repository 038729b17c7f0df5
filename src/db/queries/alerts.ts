// Reads of alert rules: a project's rules with their channels and firing groups, one rule's history, and the rules the
// scheduled evaluation judges (with their project's placement).
import { and, asc, desc, eq, inArray, ne } from "drizzle-orm";
import type { ControlDb } from "../client.ts";
import {
  type AlertAttemptRow,
  type AlertChannelRow,
  type AlertDeliveryRow,
  type AlertRuleRow,
  type AlertStateRow,
  alertAttempts,
  alertChannels,
  alertDeliveries,
  alertRules,
  alertStates,
  alertTransitions,
  projects,
} from "../schema.ts";

/** D1 binds at most 100 parameters per statement: `IN (…)` lists are read in chunks. */
async function inChunks<T>(ids: string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 90) out.push(...(await read(ids.slice(i, i + 90))));
  return out;
}

export type RuleWithParts = { rule: AlertRuleRow; channels: AlertChannelRow[]; states: AlertStateRow[] };

/** Rules of a project (one rule when `alertId` is given) with their channels and their firing or latest states. */
export async function projectRules(db: ControlDb, projectId: string, alertId?: string): Promise<RuleWithParts[]> {
  const rules = await db
    .select()
    .from(alertRules)
    .where(and(eq(alertRules.projectId, projectId), alertId ? eq(alertRules.id, alertId) : undefined))
    .orderBy(asc(alertRules.createdAt));
  if (!rules.length) return [];
  const ids = rules.map((r) => r.id);
  const [channels, states] = await Promise.all([
    inChunks(ids, (chunk) =>
      db.select().from(alertChannels).where(inArray(alertChannels.alertId, chunk)).orderBy(asc(alertChannels.position)),
    ),
    inChunks(ids, (chunk) =>
      db.select().from(alertStates).where(inArray(alertStates.alertId, chunk)).orderBy(desc(alertStates.since)),
    ),
  ]);
  return rules.map((rule) => ({
    rule,
    channels: channels.filter((c) => c.alertId === rule.id),
    states: states.filter((s) => s.alertId === rule.id),
  }));
}

/** A rule's own notification (quota warnings sent through its channels are left out of its history). */
export type DeliveryWithAttempts = Omit<AlertDeliveryRow, "reason"> & {
  reason: Exclude<AlertDeliveryRow["reason"], "usage">;
  channelType: string;
  attemptRows: AlertAttemptRow[];
};

/** A rule's transitions and deliveries (each with its attempts), newest first, `limit` of each. */
export async function ruleHistory(db: ControlDb, alertId: string, limit = 100) {
  const [transitions, deliveries] = await Promise.all([
    db
      .select()
      .from(alertTransitions)
      .where(eq(alertTransitions.alertId, alertId))
      .orderBy(desc(alertTransitions.at))
      .limit(limit),
    db
      .select({ delivery: alertDeliveries, channelType: alertChannels.type })
      .from(alertDeliveries)
      .leftJoin(alertChannels, eq(alertChannels.id, alertDeliveries.channelId))
      // Quota warnings go out through a rule's channel but are the org's, not the rule's (GET /api/orgs/:org/usage).
      .where(and(eq(alertDeliveries.alertId, alertId), ne(alertDeliveries.reason, "usage")))
      .orderBy(desc(alertDeliveries.createdAt))
      .limit(limit),
  ]);
  const attempts = await inChunks(
    deliveries.map((d) => d.delivery.id),
    (chunk) => db.select().from(alertAttempts).where(inArray(alertAttempts.deliveryId, chunk)),
  );
  return {
    transitions,
    deliveries: deliveries.map(({ delivery, channelType }) => ({
      ...delivery,
      reason: delivery.reason as DeliveryWithAttempts["reason"],
      channelType: channelType ?? "webhook",
      attemptRows: attempts.filter((a) => a.deliveryId === delivery.id),
    })),
  };
}

/** Enabled rules of live projects, least recently evaluated first, with the project's shard and name. */
export function enabledRules(db: ControlDb, limit: number) {
  return db
    .select({ rule: alertRules, shard: projects.shard, projectName: projects.name })
    .from(alertRules)
    .innerJoin(projects, eq(projects.id, alertRules.projectId))
    .where(eq(alertRules.enabled, true))
    .orderBy(asc(alertRules.lastEvaluatedAt))
    .limit(limit);
}

/** The enabled channels of some rules. */
export async function activeChannels(db: ControlDb, alertIds: string[]) {
  const rows = await inChunks(alertIds, (chunk) =>
    db.select().from(alertChannels).where(inArray(alertChannels.alertId, chunk)).orderBy(asc(alertChannels.position)),
  );
  return rows.filter((c) => c.disabledAt === null);
}

/** A delivery with what sending it needs: its channel and the rule's signing secret. */
export async function deliveryToSend(db: ControlDb, deliveryId: string) {
  const [row] = await db
    .select({ delivery: alertDeliveries, channel: alertChannels, secret: alertRules.signingSecret })
    .from(alertDeliveries)
    .innerJoin(alertChannels, eq(alertChannels.id, alertDeliveries.channelId))
    .innerJoin(alertRules, eq(alertRules.id, alertDeliveries.alertId))
    .where(eq(alertDeliveries.id, deliveryId));
  return row ?? null;
}

const STATE_COLUMNS = `s.alert_id AS alertId, s.group_key AS groupKey, s.group_json AS groupJson, s.state, s.transition,
  s.since, s.value, s.count, s.last_notified_at AS lastNotifiedAt`;

/**
 * ruleStates for several rules in one statement (a project's rules in a run): every firing group of the rules, and the
 * states of the given groups of each (`[alertId, groupKey]` pairs), each row once.
 */
export function rulesStates(d1: D1Database, alertIds: string[], groups: Array<[string, string]>) {
  return d1
    .prepare(
      `SELECT ${STATE_COLUMNS} FROM alert_states s
         WHERE s.state = 'firing' AND s.alert_id IN (SELECT value FROM json_each(?1))
       UNION ALL
       SELECT ${STATE_COLUMNS} FROM json_each(?2) g
         JOIN alert_states s ON s.alert_id = g.value ->> 0 AND s.group_key = g.value ->> 1
         WHERE s.state <> 'firing'`,
    )
    .bind(JSON.stringify(alertIds), JSON.stringify(groups))
    .all<AlertStateRow>()
    .then((r) => r.results);
}

/** A rule's firing states and those of the given groups (the ones crossing the line now). */
export const ruleStates = (d1: D1Database, alertId: string, keys: string[]) =>
  rulesStates(
    d1,
    [alertId],
    keys.map((k) => [alertId, k]),
  );
