// Alert rows as the API answers them (contract/alerts.ts): the rule with its channels and state, and its history.
import type { Alert, AlertChannel, AlertFilters, AlertHistoryEntry, WebhookPayload } from "../../contract/alerts.ts";
import { ALERT_LIMITS } from "../../contract/alerts.ts";
import type { DeliveryWithAttempts, RuleWithParts } from "../db/queries/alerts.ts";
import type { AlertChannelRow } from "../db/schema.ts";

const parseGroup = (json: string | null) => (json ? (JSON.parse(json) as Record<string, string>) : null);

export function channelView(c: AlertChannelRow): AlertChannel {
  const status = {
    id: c.id,
    failing_since: c.failingSince,
    disabled_at: c.disabledAt,
    disabled_reason: c.disabledReason,
  };
  return c.type === "email" ? { type: "email", to: c.target, ...status } : { type: c.type, url: c.target, ...status };
}

export function alertView({ rule, channels, states }: RuleWithParts): Alert {
  const firing = states.filter((s) => s.state === "firing");
  const latest = states[0];
  const state = firing.length ? "firing" : (latest?.state ?? "ok");
  return {
    id: rule.id,
    project_id: rule.projectId,
    name: rule.name,
    metric: rule.metric as Alert["metric"],
    filters: JSON.parse(rule.filters) as AlertFilters,
    window_minutes: rule.windowMinutes,
    op: rule.op as Alert["op"],
    threshold: rule.threshold,
    min_count: rule.minCount,
    group_by: rule.groupBy as Alert["group_by"],
    renotify_minutes: rule.renotifyMinutes,
    enabled: rule.enabled,
    channels: channels.map(channelView),
    state,
    state_since: firing.length ? Math.min(...firing.map((s) => s.since)) : (latest?.since ?? null),
    firing: firing.slice(0, ALERT_LIMITS.maxGroups).map((s) => ({
      group: parseGroup(s.groupJson),
      state: s.state,
      since: s.since,
      value: s.value,
      count: s.count,
    })),
    has_signing_secret: Boolean(rule.signingSecret),
    recent: JSON.parse(rule.recent) as Array<[number, number | null]>,
    last_evaluated_at: rule.lastEvaluatedAt,
    last_error: rule.lastError,
    created_at: rule.createdAt,
    updated_at: rule.updatedAt,
  };
}

type Transition = Awaited<ReturnType<typeof import("../db/queries/alerts.ts").ruleHistory>>["transitions"][number];

/** Transitions and deliveries, newest first. */
export function historyView(transitions: Transition[], deliveries: DeliveryWithAttempts[]): AlertHistoryEntry[] {
  const entries: AlertHistoryEntry[] = [
    ...transitions.map(
      (t): AlertHistoryEntry => ({
        kind: "transition",
        id: t.id,
        at: t.at,
        group: parseGroup(t.groupJson),
        from: t.fromState,
        to: t.toState,
        value: t.value,
        count: t.count,
        threshold: t.threshold,
      }),
    ),
    ...deliveries.map((d): AlertHistoryEntry => {
      const payload = JSON.parse(d.payload) as WebhookPayload;
      return {
        kind: "delivery",
        id: d.id,
        at: d.createdAt,
        reason: d.reason,
        channel_id: d.channelId,
        channel_type: d.channelType as "webhook" | "slack" | "email",
        status: d.status,
        state: payload.state,
        group: payload.group,
        attempts: d.attemptRows.map((a) => ({
          attempt: a.attempt,
          at: a.at,
          status: a.status,
          response: a.response,
          error: a.error,
          duration_ms: a.durationMs,
        })),
      };
    }),
  ];
  return entries.sort((a, b) => b.at - a.at);
}
