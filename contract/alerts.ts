// Alerts: rules over the monitoring metrics, their state per group, the notifications they send (webhook, Slack,
// email) and the history of both. `/api/projects/:project/alerts…` (docs/alerts.md).
import { z } from "zod";

export const ALERT_METRICS = [
  "cost",
  "count",
  "error_count",
  "error_rate",
  "latency_p95",
  "latency_p99",
  "first_token_p95",
  "input_tokens",
  "output_tokens",
] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

/** `score_avg:<name>`: the average of a score's numeric values (booleans as 1 and 0) over the window. */
export const SCORE_METRIC_PREFIX = "score_avg:";
/** The score name of a `score_avg:<name>` metric, or null for any other metric. */
export const scoreMetricName = (metric: string) =>
  metric.startsWith(SCORE_METRIC_PREFIX) && metric.length > SCORE_METRIC_PREFIX.length
    ? metric.slice(SCORE_METRIC_PREFIX.length)
    : null;
/** A rule's metric: one of ALERT_METRICS, or a score's average by name (a score name: 1–200 characters, trimmed). */
export const alertMetric = z.union([
  z.enum(ALERT_METRICS),
  z
    .string()
    .regex(/^score_avg:\S(?:.{0,198}\S)?$/s, "score_avg:<name> takes a score name (1–200 characters, trimmed)")
    .transform((m) => m as `score_avg:${string}`),
]);
export type AlertRuleMetric = z.output<typeof alertMetric>;

export const ALERT_OPS = [">", ">=", "<", "<="] as const;
export type AlertOp = (typeof ALERT_OPS)[number];

export const ALERT_GROUP_BYS = ["user_id", "model", "name"] as const;
export const ALERT_FILTER_KEYS = [
  "type",
  "name",
  "model",
  "provider",
  "status",
  "environment",
  "release",
  "user_id",
] as const;

/** `ok` (never fired, or not since the rule changed), `firing`, `resolved` (fired, then back under the line). */
export const ALERT_STATES = ["ok", "firing", "resolved"] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERT_LIMITS = {
  minWindowMinutes: 5,
  maxWindowMinutes: 30 * 24 * 60,
  maxRulesPerProject: 100,
  maxChannels: 5,
  /** Groups judged per rule and run (the largest values first). */
  maxGroups: 100,
  maxFilterValues: 20,
  /** A receiver's answer kept in the history. */
  responseBytes: 1024,
  deliveryTimeoutMs: 10_000,
  /** Attempts per notification (the queue retries with backoff between them). */
  maxAttempts: 8,
  /** A channel whose deliveries have failed for this long is disabled. */
  disableAfterMs: 24 * 60 * 60 * 1000,
  maxRenotifyMinutes: 7 * 24 * 60,
} as const;

const filterValues = z.array(z.string().min(1).max(256)).min(1).max(ALERT_LIMITS.maxFilterValues);

/** Which events a rule looks at: each key one of several values (type ∈ {model_response}, model ∈ {…}). */
export const alertFilters = z.strictObject(
  Object.fromEntries(ALERT_FILTER_KEYS.map((k) => [k, filterValues.optional()])) as Record<
    (typeof ALERT_FILTER_KEYS)[number],
    z.ZodOptional<typeof filterValues>
  >,
);
export type AlertFilters = z.infer<typeof alertFilters>;

const httpsUrl = z.string().url().max(2048);

/** Where a rule's notifications go, as a client sends them. */
export const alertChannelInput = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("webhook"), url: httpsUrl }),
  z.strictObject({ type: z.literal("slack"), url: httpsUrl }),
  z.strictObject({ type: z.literal("email"), to: z.string().email().max(320) }),
]);
export type AlertChannelInput = z.infer<typeof alertChannelInput>;

/** A channel as read back: its id, and whether deliveries to it fail (disabled after 24 h of failures). */
const channelStatus = {
  id: z.string(),
  failing_since: z.number().nullable(),
  disabled_at: z.number().nullable(),
  disabled_reason: z.string().nullable(),
};
export const alertChannel = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("webhook"), url: z.string(), ...channelStatus }),
  z.strictObject({ type: z.literal("slack"), url: z.string(), ...channelStatus }),
  z.strictObject({ type: z.literal("email"), to: z.string(), ...channelStatus }),
]);
export type AlertChannel = z.infer<typeof alertChannel>;

const ruleFields = {
  name: z.string().trim().min(1).max(200),
  metric: alertMetric,
  filters: alertFilters,
  window_minutes: z.number().int().min(ALERT_LIMITS.minWindowMinutes).max(ALERT_LIMITS.maxWindowMinutes),
  op: z.enum(ALERT_OPS),
  /** Within ±10¹² (no bill, count or latency reaches it): a mistyped 1e308 was stored, then shown as "$NaN". */
  threshold: z.number().min(-1e12).max(1e12),
  /** Below this many events in the window (per group) the rule does not judge: no rate on 3 calls. */
  min_count: z.number().int().min(0).max(1_000_000),
  group_by: z.enum(ALERT_GROUP_BYS).nullable(),
  /** While firing, notify again every this many minutes (null: once per transition). */
  renotify_minutes: z.number().int().min(5).max(ALERT_LIMITS.maxRenotifyMinutes).nullable(),
  enabled: z.boolean(),
  channels: z.array(alertChannelInput).max(ALERT_LIMITS.maxChannels),
};

/** A score average is grouped per end user or trace name and filtered by end user only (scores carry no more). */
const scoreRuleFits = (r: { metric?: string; group_by?: string | null; filters?: AlertFilters }) =>
  r.metric === undefined ||
  scoreMetricName(r.metric) === null ||
  (r.group_by !== "model" && Object.keys(r.filters ?? {}).every((k) => k === "user_id"));
const scoreMessage = {
  message: "score_avg rules filter by user_id only and group by user_id or name",
  path: ["metric"],
};
/**
 * An event metric per end user (user_id grouped or filtered) reads the end users' own rollup, which keeps no other
 * field: such a rule neither filters nor groups by anything else. (A user's spend counts all of their events.)
 */
const userRuleFits = (r: { metric?: string; group_by?: string | null; filters?: AlertFilters }) => {
  if (r.metric !== undefined && scoreMetricName(r.metric) !== null) return true;
  const named = [r.group_by, ...Object.entries(r.filters ?? {}).flatMap(([k, v]) => (v?.length ? [k] : []))].filter(
    (f): f is string => !!f,
  );
  return !named.includes("user_id") || named.every((f) => f === "user_id");
};
const userMessage = {
  message: "a rule per end user (user_id) can't also filter or group by another field: end users have their own rollup",
  path: ["group_by"],
};
const rateInRange = (r: { metric?: string; threshold?: number }) =>
  r.metric !== "error_rate" || r.threshold === undefined || (r.threshold >= 0 && r.threshold <= 1);
const rateMessage = { message: "error_rate is a fraction: threshold must be between 0 and 1", path: ["threshold"] };

/** `POST /api/projects/:project/alerts`. */
export const alertCreate = z
  .strictObject({
    ...ruleFields,
    filters: ruleFields.filters.default({}),
    min_count: ruleFields.min_count.default(1),
    group_by: ruleFields.group_by.default(null),
    renotify_minutes: ruleFields.renotify_minutes.default(null),
    enabled: ruleFields.enabled.default(true),
    channels: ruleFields.channels.default([]),
  })
  .refine(rateInRange, rateMessage)
  .refine(scoreRuleFits, scoreMessage)
  .refine(userRuleFits, userMessage);
export type AlertCreate = z.input<typeof alertCreate>;

/**
 * What the fields of a rule must agree on (metric, threshold, filters, grouping), checked on the whole rule: a patch's
 * fields merged with the stored rule's (a patch alone may change one of two fields that must agree).
 */
export const alertRuleFits = z
  .object({ metric: z.string(), threshold: z.number(), filters: alertFilters, group_by: z.string().nullable() })
  .refine(rateInRange, rateMessage)
  .refine(scoreRuleFits, scoreMessage)
  .refine(userRuleFits, userMessage);

/**
 * `PATCH /api/projects/:project/alerts/:alert`: any of the fields; `channels` replaces the list. Whether the fields
 * agree is checked on the rule the patch makes (`alertRuleFits`).
 */
export const alertPatch = z
  .strictObject(ruleFields)
  .partial()
  .refine((p) => Object.keys(p).length > 0, "send at least one field");
export type AlertPatch = z.infer<typeof alertPatch>;

/** A group's state (group null for a rule without group_by). */
export const alertGroupState = z.strictObject({
  group: z.record(z.string(), z.string()).nullable(),
  state: z.enum(ALERT_STATES),
  since: z.number(),
  value: z.number().nullable(),
  count: z.number().int(),
});

/** A rule as read back. `state` is the worst of its groups (firing if any is). */
export const alert = z.strictObject({
  id: z.string(),
  project_id: z.string(),
  name: z.string(),
  metric: alertMetric,
  filters: alertFilters,
  window_minutes: z.number().int(),
  op: z.enum(ALERT_OPS),
  threshold: z.number(),
  min_count: z.number().int(),
  group_by: z.enum(ALERT_GROUP_BYS).nullable(),
  renotify_minutes: z.number().int().nullable(),
  enabled: z.boolean(),
  channels: z.array(alertChannel),
  state: z.enum(ALERT_STATES),
  /** Since when the rule has been in `state` (firing: since the first group fired). */
  state_since: z.number().nullable(),
  /** Groups firing now (at most ALERT_LIMITS.maxGroups). */
  firing: z.array(alertGroupState),
  has_signing_secret: z.boolean(),
  /** The worst value of each of the last evaluations, oldest first: [at, value]. */
  recent: z.array(z.tuple([z.number(), z.number().nullable()])),
  last_evaluated_at: z.number().nullable(),
  /** The last evaluation failed: why (null when it succeeded). */
  last_error: z.string().nullable(),
  created_at: z.number(),
  updated_at: z.number(),
});
export type Alert = z.infer<typeof alert>;

export const alertList = z.strictObject({ alerts: z.array(alert) });
export const alertAnswer = z.strictObject({ alert });
/** The create answer: the signing secret, shown this once. */
export const alertCreated = z.strictObject({ alert, signing_secret: z.string().startsWith("whsec_") });

export const DELIVERY_KINDS = ["transition", "renotify", "test"] as const;
export const DELIVERY_STATUSES = ["queued", "retrying", "delivered", "failed", "skipped"] as const;

/** One try at a delivery: the receiver's status and the start of its answer, or why it could not be reached. */
export const deliveryAttempt = z.strictObject({
  attempt: z.number().int(),
  at: z.number(),
  status: z.number().int().nullable(),
  response: z.string().nullable(),
  error: z.string().nullable(),
  duration_ms: z.number(),
});

/** The history: state changes of the rule's groups, and every notification with its attempts, newest first. */
export const alertHistoryEntry = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("transition"),
    id: z.string(),
    at: z.number(),
    group: z.record(z.string(), z.string()).nullable(),
    from: z.enum(ALERT_STATES),
    to: z.enum(ALERT_STATES),
    value: z.number().nullable(),
    count: z.number().int(),
    threshold: z.number(),
  }),
  z.strictObject({
    kind: z.literal("delivery"),
    id: z.string(),
    at: z.number(),
    reason: z.enum(DELIVERY_KINDS),
    channel_id: z.string(),
    channel_type: z.enum(["webhook", "slack", "email"]),
    status: z.enum(DELIVERY_STATUSES),
    state: z.enum([...ALERT_STATES, "test"]),
    group: z.record(z.string(), z.string()).nullable(),
    attempts: z.array(deliveryAttempt),
  }),
]);
export type AlertHistoryEntry = z.infer<typeof alertHistoryEntry>;
export const alertHistory = z.strictObject({ history: z.array(alertHistoryEntry) });

/** `POST …/alerts/:alert/test`: one delivery per enabled channel, queued now. */
export const alertTestAnswer = z.strictObject({ delivery_ids: z.array(z.string()) });

/** The preview: the metric over recent windows (the chart) and how often the rule would have fired. */
export const alertPreviewQuery = z
  .strictObject({
    metric: ruleFields.metric,
    filters: alertFilters.default({}),
    window_minutes: ruleFields.window_minutes,
    op: ruleFields.op,
    threshold: ruleFields.threshold,
    min_count: ruleFields.min_count.default(1),
    group_by: ruleFields.group_by.default(null),
  })
  .refine(rateInRange, rateMessage)
  .refine(scoreRuleFits, scoreMessage)
  .refine(userRuleFits, userMessage);
export const alertPreview = z.strictObject({
  points: z.array(z.strictObject({ at: z.number(), value: z.number().nullable(), count: z.number().int() })),
  would_have_fired: z.number().int(),
  days: z.number().int(),
});
export type AlertPreview = z.infer<typeof alertPreview>;

/**
 * The webhook's JSON body (POSTed with `WatchLLM-Signature: t=<unix s>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`).
 * `delivery_id` is the same on every attempt: receivers dedupe on it.
 */
export const webhookPayload = z.strictObject({
  delivery_id: z.string(),
  alert: z.strictObject({ id: z.string(), name: z.string() }),
  project: z.strictObject({ id: z.string(), name: z.string() }),
  /** `test` for a test notification. */
  state: z.enum([...ALERT_STATES, "test"]),
  reason: z.enum(DELIVERY_KINDS),
  metric: alertMetric,
  op: z.enum(ALERT_OPS),
  value: z.number().nullable(),
  count: z.number().int(),
  threshold: z.number(),
  window: z.strictObject({ minutes: z.number().int(), from: z.number(), to: z.number() }),
  group: z.record(z.string(), z.string()).nullable(),
  trace_list_url: z.string(),
  fired_at: z.number(),
});
export type WebhookPayload = z.infer<typeof webhookPayload>;

/** The alerts queue's message: the delivery to attempt (everything else is read from D1). */
export const alertQueueMessage = z.strictObject({ delivery_id: z.string() });
export type AlertQueueMessage = z.infer<typeof alertQueueMessage>;

/** `POST /api/projects/:project/alerts/preview?days=`: how many past days the preview replays. */
export const alertPreviewDays = z.object({ days: z.coerce.number().int().min(1).max(7).default(7) });
