// Saving alert rules: checks beyond the contract's shape (destinations, email set-up, the per-project limit), the rows
// a rule and its channels make, and test notifications.
import type { BatchItem } from "drizzle-orm/batch";
import type { z } from "zod";
import {
  ALERT_LIMITS,
  type AlertChannelInput,
  type AlertPatch,
  type alertCreate,
  type WebhookPayload,
} from "../../contract/alerts.ts";
import type { ControlDb } from "../db/client.ts";
import { ruleCount } from "../db/queries/alert-rules.ts";
import type { AlertRuleRow } from "../db/schema.ts";
import { ruleChannelsDelete, ruleChannelsInsert, ruleStatesDelete, ruleUpdate } from "../db/writes/alert-rules.ts";
import { deliveryInsert } from "../db/writes/alerts.ts";
import type { Bindings } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { newId, randomToken } from "../lib/ids.ts";
import { refusedDestination } from "./destination.ts";
import { buildPayload } from "./payload.ts";
import { enqueueDeliveries } from "./queue.ts";

export type RuleInput = z.output<typeof alertCreate>;

/** Refuses channels that can't be used here: private or non-https URLs, email on an instance without it. */
export function checkChannels(env: Bindings, channels: AlertChannelInput[]) {
  const reasons = channels.flatMap((ch, i) => {
    if (ch.type === "email") {
      const configured = (env as { SEND_EMAIL?: unknown }).SEND_EMAIL && env.ALERT_EMAIL_FROM;
      return configured ? [] : [`channels.${i}: email is not configured on this instance (docs/alerts.md "Email")`];
    }
    const refused = refusedDestination(ch.url, env);
    return refused ? [`channels.${i}.url ${refused}`] : [];
  });
  if (reasons.length) throw new ApiError("invalid_request", `Invalid rule: ${reasons.join("; ")}`, { reasons });
}

export async function checkRuleLimit(db: ControlDb, projectId: string) {
  if ((await ruleCount(db, projectId)) >= ALERT_LIMITS.maxRulesPerProject)
    throw new ApiError("invalid_request", `A project can have at most ${ALERT_LIMITS.maxRulesPerProject} alert rules.`);
}

export const newSigningSecret = () => `whsec_${randomToken(32)}`;

export function channelRows(alertId: string, channels: AlertChannelInput[]) {
  return channels.map((ch, position) => ({
    id: newId("ach"),
    alertId,
    position,
    type: ch.type,
    target: ch.type === "email" ? ch.to : ch.url,
  }));
}

/** The rule's columns from a request (all of them on create, the given ones on a patch). */
export function ruleColumns(input: Partial<RuleInput>) {
  return {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.metric !== undefined && { metric: input.metric }),
    ...(input.filters !== undefined && { filters: JSON.stringify(input.filters) }),
    ...(input.window_minutes !== undefined && { windowMinutes: input.window_minutes }),
    ...(input.op !== undefined && { op: input.op }),
    ...(input.threshold !== undefined && { threshold: input.threshold }),
    ...(input.min_count !== undefined && { minCount: input.min_count }),
    ...(input.group_by !== undefined && { groupBy: input.group_by }),
    ...(input.renotify_minutes !== undefined && { renotifyMinutes: input.renotify_minutes }),
    ...(input.enabled !== undefined && { enabled: input.enabled }),
  };
}

/** Fields whose change makes it a different rule: its groups start again from `ok`. */
const JUDGING = ["metric", "filters", "window_minutes", "op", "threshold", "min_count", "group_by"] as const;

/** The statements of a patch: the rule, its channels when given, its states when it now judges differently. */
export function patchStatements(db: ControlDb, rule: AlertRuleRow, patch: AlertPatch, at: number) {
  const update = ruleUpdate(db, rule, { ...ruleColumns(patch), updatedAt: at });
  const rest: BatchItem<"sqlite">[] = [];
  if (patch.channels) {
    rest.push(ruleChannelsDelete(db, rule.id));
    const rows = channelRows(rule.id, patch.channels);
    if (rows.length) rest.push(ruleChannelsInsert(db, rows));
  }
  if (JUDGING.some((k) => patch[k] !== undefined)) rest.push(ruleStatesDelete(db, rule.id));
  return [update, ...rest] as const;
}

/** Queues a test notification to every channel of the rule (disabled ones too: that is how a fix is checked). */
export async function sendTest(
  env: Bindings,
  rule: AlertRuleRow,
  project: { id: string; name: string },
  channelIds: string[],
) {
  const at = Date.now();
  const deliveries = channelIds.map((channelId) => {
    const id = newId("dlv");
    const payload: WebhookPayload = buildPayload(rule, project, {
      group: null,
      value: null,
      count: 0,
      state: "test",
      reason: "test",
      deliveryId: id,
      at,
    });
    return { id, channelId, reason: "test" as const, payload: JSON.stringify(payload) };
  });
  if (deliveries.length) await env.DB.batch(deliveries.map((d) => deliveryInsert(env.DB, rule.id, d, at)));
  await enqueueDeliveries(
    env,
    deliveries.map((d) => d.id),
  );
  return deliveries.map((d) => d.id);
}
