// The one drizzle schema of WatchLLM's D1 database. Migrations in migrations/ are generated from it.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { COST_SOURCES, EVENT_STATUSES, EVENT_TYPES, KEY_KINDS, ROLES } from "../../contract/constants.ts";
import { JOB_STATUSES } from "../../contract/data.ts";
import { SCORE_AUTHOR_KINDS, SCORE_KINDS, SCORE_SOURCES } from "../../contract/scores.ts";

const now = sql`(unixepoch('subsec') * 1000)`;

export const orgs = sqliteTable("orgs", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: integer("created_at").notNull().default(now),
  /** The org's plan, a key of the PLANS var (docs/usage.md); null: the instance's DEFAULT_PLAN (or unlimited). */
  plan: text("plan"),
});

export const projects = sqliteTable(
  "projects",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdAt: integer("created_at").notNull().default(now),
    /** Which data database (DATA_<shard>) holds the project's events; chosen at creation (src/accounts/placement.ts). */
    shard: integer("shard").notNull().default(0),
    /** Days its traces are kept after their last event; null: the instance's DEFAULT_RETENTION_DAYS (or forever). */
    retentionDays: integer("retention_days"),
  },
  (t) => [index("projects_org").on(t.orgId), index("projects_shard").on(t.shard)],
);

/** API keys: only the SHA-256 of the key is stored; `prefix` is what the dashboard shows. */
export type ProjectRow = typeof projects.$inferSelect;

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: KEY_KINDS }).notNull(),
    name: text("name").notNull().default(""),
    keyHash: text("key_hash").notNull(),
    prefix: text("prefix").notNull(),
    createdAt: integer("created_at").notNull().default(now),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash").on(t.keyHash), index("api_keys_project").on(t.projectId)],
);

/** One row per event, unique per project by the client's event_id (the idempotency key). Times are epoch ms. */
export const events = sqliteTable(
  "events",
  {
    projectId: text("project_id").notNull(),
    eventId: text("event_id").notNull(),
    traceId: text("trace_id").notNull(),
    parentEventId: text("parent_event_id"),
    type: text("type", { enum: EVENT_TYPES }).notNull(),
    name: text("name").notNull(),
    ts: integer("ts").notNull(),
    durationMs: real("duration_ms"),
    status: text("status", { enum: EVENT_STATUSES }).notNull(),
    body: text("body"),
    context: text("context"),
    model: text("model"),
    provider: text("provider"),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    cachedInputTokens: integer("cached_input_tokens"),
    cacheWriteTokens: integer("cache_write_tokens"),
    costUsd: real("cost_usd"),
    costSource: text("cost_source", { enum: COST_SOURCES }),
    userId: text("user_id"),
    sessionId: text("session_id"),
    truncated: integer("truncated").notNull().default(0),
    /** A body kept in R2: its key there, its size and SHA-256; `body` then holds the preview (src/db/bodies.ts). */
    bodyRef: text("body_ref"),
    bodyBytes: integer("body_bytes"),
    bodySha256: text("body_sha256"),
    /** Which consumer write stored the row: lets the summary step aggregate exactly the rows it inserted. */
    batchId: text("batch_id").notNull(),
    receivedAt: integer("received_at").notNull(),
    environment: text("environment"),
    release: text("release"),
    firstTokenMs: real("first_token_ms"),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.eventId] }),
    index("events_project_ts").on(t.projectId, t.ts),
    // A trace's events (the tree, exports, deletions); no read filters by parent, so the parent is not in it.
    index("events_trace").on(t.projectId, t.traceId),
    // Calls with a client-given cost of 0, the gateway's cache hits among them: the Costs page's savings read only these.
    index("events_zero_cost").on(t.projectId, t.ts).where(sql`cost_source = 'client' AND cost_usd = 0`),
  ],
);

/**
 * One summary row per trace, merged incrementally by the consumer. The root is the earliest event without a
 * parent (ties by event_id); while none has arrived, the earliest event stands in (root_rank 0 instead of 1).
 */
export const traces = sqliteTable(
  "traces",
  {
    projectId: text("project_id").notNull(),
    traceId: text("trace_id").notNull(),
    startTs: integer("start_ts").notNull(),
    endTs: integer("end_ts").notNull(),
    durationMs: real("duration_ms").notNull(),
    spanCount: integer("span_count").notNull(),
    errorCount: integer("error_count").notNull(),
    status: text("status", { enum: EVENT_STATUSES }).notNull(),
    rootEventId: text("root_event_id").notNull(),
    rootName: text("root_name").notNull(),
    rootTs: integer("root_ts").notNull(),
    rootRank: integer("root_rank").notNull(),
    /** JSON array of distinct model names, sorted. */
    models: text("models").notNull().default("[]"),
    /** JSON array of the distinct `context.tags` of the trace's events, sorted. */
    tags: text("tags").notNull().default("[]"),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    cachedInputTokens: integer("cached_input_tokens").notNull().default(0),
    totalTokens: integer("total_tokens").notNull().default(0),
    totalCost: real("total_cost").notNull().default(0),
    /** Number of model_response events (calls), for cost views grouped by trace dimensions. */
    modelCalls: integer("model_calls").notNull().default(0),
    userId: text("user_id"),
    sessionId: text("session_id"),
    updatedAt: integer("updated_at").notNull(),
  },
  // One index per sort of the trace list, ending in trace_id so keyset pages need no temporary sort; user and session
  // lookups start from their own index.
  (t) => [
    primaryKey({ columns: [t.projectId, t.traceId] }),
    index("traces_project_start").on(t.projectId, t.startTs, t.traceId),
    index("traces_project_duration").on(t.projectId, t.durationMs, t.traceId),
    index("traces_project_cost").on(t.projectId, t.totalCost, t.traceId),
    index("traces_project_spans").on(t.projectId, t.spanCount, t.traceId),
    // Partial: a trace without a user or session costs no entry (an upsert rewrites every index the row is in).
    index("traces_project_user").on(t.projectId, t.userId, t.startTs).where(sql`user_id IS NOT NULL`),
    index("traces_project_session").on(t.projectId, t.sessionId, t.startTs).where(sql`session_id IS NOT NULL`),
  ],
);

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  /** Stored lowercased: one account per address. */
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  /** `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>` */
  passwordHash: text("password_hash").notNull(),
  /** The first user of an instance administers it. */
  isAdmin: integer("is_admin", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull().default(now),
});

/** Sessions are looked up by the SHA-256 of the cookie token; the token itself is never stored. */
export const sessions = sqliteTable(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull().default(now),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const orgMembers = sqliteTable(
  "org_members",
  {
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] }), index("org_members_user").on(t.userId)],
);

/** Invite links: single use, expiring; only the token's hash is stored. */
export const invites = sqliteTable(
  "invites",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    role: text("role", { enum: ROLES }).notNull(),
    email: text("email"),
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull().default(now),
    expiresAt: integer("expires_at").notNull(),
    acceptedAt: integer("accepted_at"),
    acceptedBy: text("accepted_by"),
  },
  (t) => [index("invites_org").on(t.orgId)],
);

/**
 * Login attempts per `pair:<email>|<ip>` and `ip:<ip>` in a window (src/auth/login-limit.ts): each attempt is counted
 * before the password is checked; `blocked_until` is when the next attempt may be made.
 */
export const loginFailures = sqliteTable("login_failures", {
  key: text("key").primaryKey(),
  count: integer("count").notNull(),
  windowStart: integer("window_start").notNull(),
  blockedUntil: integer("blocked_until").notNull().default(0),
});

/** Queue messages that exhausted their retries, kept for operators instead of vanishing. */
export const deadLetters = sqliteTable("dead_letters", {
  id: text("id").primaryKey(),
  queue: text("queue").notNull(),
  projectId: text("project_id"),
  body: text("body").notNull(),
  attempts: integer("attempts").notNull(),
  receivedAt: integer("received_at").notNull(),
});

export type TraceRow = typeof traces.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type UserRow = typeof users.$inferSelect;

/**
 * Prices per million tokens. Built-in rows (project_id NULL) come from @pydantic/genai-prices through a generated
 * migration (`npm run prices:import`); a project's rows override them for its events. One row per model and
 * effective date; `match` is a JSON match rule ({"equals": "gpt-4o"}, {"starts_with": "ft:gpt-4o"}, and/or ...),
 * `rates` JSON like {"input_mtok": 2.5, "output_mtok": 10, "cache_read_mtok": 1.25} where a rate may be tiered.
 */
export const prices = sqliteTable(
  "prices",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id").references(() => projects.id, { onDelete: "cascade" }),
    /** Null: any provider. */
    provider: text("provider"),
    model: text("model").notNull(),
    match: text("match").notNull(),
    effectiveFrom: integer("effective_from").notNull().default(0),
    rates: text("rates").notNull(),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [index("prices_project").on(t.projectId)],
);

/** Cost rollup per project, hour, model and provider, kept by the consumer (see src/ingest/cost-rollup.ts). */
export const costHourly = sqliteTable(
  "cost_hourly",
  {
    projectId: text("project_id").notNull(),
    hour: integer("hour").notNull(),
    /** '' when the event had none, so the key stays unique. */
    model: text("model").notNull(),
    provider: text("provider").notNull(),
    calls: integer("calls").notNull(),
    unpricedCalls: integer("unpriced_calls").notNull(),
    inputTokens: integer("input_tokens").notNull(),
    outputTokens: integer("output_tokens").notNull(),
    cachedInputTokens: integer("cached_input_tokens").notNull(),
    cacheWriteTokens: integer("cache_write_tokens").notNull(),
    cost: real("cost").notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.hour, t.model, t.provider] })],
);

/**
 * Background work done in bounded steps by the scheduled handler (src/maintenance), resumable from `progress`: index
 * rebuilds after an upgrade, and (later) deletions too large for one request.
 */
export const jobs = sqliteTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(),
    projectId: text("project_id"),
    /** JSON: what to do. */
    params: text("params").notNull().default("{}"),
    /** JSON: how far it got. */
    progress: text("progress").notNull().default("{}"),
    status: text("status", { enum: JOB_STATUSES }).notNull().default("pending"),
    /** The last failed attempt's error (kept once the job goes on, cleared by a retry). */
    error: text("error"),
    /** Failed attempts in a row; the job is `failed` after JOB_LIMITS.maxAttempts (contract/jobs.ts). */
    attempts: integer("attempts").notNull().default(0),
    /** After a failed attempt: not before this time (ms). */
    retryAt: integer("retry_at"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
    finishedAt: integer("finished_at"),
  },
  (t) => [index("jobs_status").on(t.status, t.createdAt)],
);
export type JobRow = typeof jobs.$inferSelect;

/**
 * Pieces of events that arrive in several parts (Langfuse's create and update items), each kept once by its part id.
 * The event is stored folded from all of its parts; a part arriving later makes the consumer fold and store it again.
 */
export const eventParts = sqliteTable(
  "event_parts",
  {
    projectId: text("project_id").notNull(),
    eventId: text("event_id").notNull(),
    partId: text("part_id").notNull(),
    traceId: text("trace_id").notNull(),
    rank: integer("rank").notNull(),
    at: integer("at").notNull(),
    /** JSON: a partial wire event. */
    fields: text("fields").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.eventId, t.partId] }),
    index("event_parts_trace").on(t.projectId, t.traceId),
    index("event_parts_received").on(t.receivedAt),
  ],
);

/**
 * Who did what to whose data: retention changes and deletions (requested and finished). Kept in the control plane;
 * an org's owners and admins read it (GET /api/orgs/:org/audit-log).
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").notNull(),
    projectId: text("project_id"),
    /** `user:<id>`, `key:<id>` or `system` (the scheduled handler). */
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    /** What the action was about: a trace id, an end user id, a retention in days. */
    target: text("target"),
    /** JSON: more about it (e.g. how many events a deletion removed). */
    details: text("details").notNull().default("{}"),
    at: integer("at").notNull().default(now),
  },
  (t) => [index("audit_log_org").on(t.orgId, t.at)],
);
export type AuditRow = typeof auditLog.$inferSelect;

/**
 * Metric rollups (src/db/writes/metrics-rollup.ts): per project, time bucket and event dimensions, the sums of the
 * events and their latency and first-token histograms (JSON objects of log-bucket index → count, src/lib/sketch.ts).
 * Minute buckets are kept 48 hours, hour buckets as long as cost rollups. Dimensions are '' when the event had none.
 * The tables are WITHOUT ROWID in the migration (a new group costs one row written, not two).
 */
const metricRollup = (name: string) =>
  sqliteTable(
    name,
    {
      projectId: text("project_id").notNull(),
      bucket: integer("bucket").notNull(),
      type: text("type").notNull(),
      name: text("name").notNull(),
      model: text("model").notNull(),
      provider: text("provider").notNull(),
      status: text("status").notNull(),
      environment: text("environment").notNull(),
      release: text("release").notNull(),
      ...metricSums,
    },
    (t) => [
      primaryKey({
        columns: [t.projectId, t.bucket, t.type, t.name, t.model, t.provider, t.status, t.environment, t.release],
      }),
    ],
  );

/** The sums and histograms every metric rollup row carries. */
const metricSums = {
  count: integer("count").notNull(),
  errors: integer("errors").notNull(),
  inputTokens: integer("input_tokens").notNull(),
  outputTokens: integer("output_tokens").notNull(),
  cachedInputTokens: integer("cached_input_tokens").notNull(),
  cost: real("cost").notNull(),
  durationSum: real("duration_sum").notNull(),
  durationCount: integer("duration_count").notNull(),
  latency: text("latency").notNull(),
  firstTokenCount: integer("first_token_count").notNull(),
  firstToken: text("first_token").notNull(),
};

export const metricsMinute = metricRollup("metrics_minute");
export const metricsHourly = metricRollup("metrics_hourly");
/**
 * Day rollups (migration 0024): rebuilt from the hour rows of complete days marked in metricsDaysDirty (by triggers on
 * metrics_hourly, see the migration); sketches as flat JSON arrays of (bucket, count) pairs.
 */
export const metricsDaily = metricRollup("metrics_daily");
/** Days whose hour rows changed since their day rows were built: readers take them from the hour rows. */
export const metricsDaysDirty = sqliteTable(
  "metrics_days_dirty",
  { projectId: text("project_id").notNull(), day: integer("day").notNull() },
  (t) => [primaryKey({ columns: [t.projectId, t.day] })],
);

/** Per end user (events with a `user_id`), narrower: only the user is a dimension. */
const userRollup = (name: string) =>
  sqliteTable(
    name,
    {
      projectId: text("project_id").notNull(),
      bucket: integer("bucket").notNull(),
      userId: text("user_id").notNull(),
      ...metricSums,
    },
    (t) => [primaryKey({ columns: [t.projectId, t.bucket, t.userId] })],
  );

export const userMetricsMinute = userRollup("user_metrics_minute");
export const userMetricsHourly = userRollup("user_metrics_hourly");

/**
 * Scores (data databases): one row per (project, score_id); a score whose id comes again replaces it when its
 * timestamp is not older, and never when an ingest key would replace what a secret key or a member wrote
 * (src/scores/write.ts). A score may name a trace that has not arrived yet.
 */
export const scores = sqliteTable(
  "scores",
  {
    projectId: text("project_id").notNull(),
    scoreId: text("score_id").notNull(),
    traceId: text("trace_id").notNull(),
    eventId: text("event_id"),
    name: text("name").notNull(),
    kind: text("kind", { enum: SCORE_KINDS }).notNull(),
    valueNum: real("value_num"),
    valueStr: text("value_str"),
    comment: text("comment"),
    source: text("source", { enum: SCORE_SOURCES }).notNull(),
    ts: integer("ts").notNull(),
    userId: text("user_id"),
    metadata: text("metadata"),
    authorKind: text("author_kind", { enum: SCORE_AUTHOR_KINDS }).notNull(),
    authorId: text("author_id").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.scoreId] }),
    index("scores_trace").on(t.projectId, t.traceId, t.name),
    index("scores_name_ts").on(t.projectId, t.name, t.ts),
    index("scores_ts").on(t.projectId, t.ts),
  ],
);
export type ScoreRow = typeof scores.$inferSelect;

/** Score configs (control plane): what a score of a configured name may be; enforced when scores arrive. */
export const scoreConfigs = sqliteTable(
  "score_configs",
  {
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind", { enum: SCORE_KINDS }).notNull(),
    min: real("min"),
    max: real("max"),
    /** JSON array of the allowed labels (categorical). */
    categories: text("categories"),
    description: text("description"),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.name] })],
);
export type ScoreConfigRow = typeof scoreConfigs.$inferSelect;

/**
 * Alert rules (control plane, per project): a metric of the project's events over a window against a threshold,
 * evaluated every minute by the scheduled handler (src/alerts). `signing_secret` signs its webhooks.
 */
export const alertRules = sqliteTable(
  "alert_rules",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    metric: text("metric").notNull(),
    /** JSON: AlertFilters. */
    filters: text("filters").notNull().default("{}"),
    windowMinutes: integer("window_minutes").notNull(),
    op: text("op").notNull(),
    threshold: real("threshold").notNull(),
    minCount: integer("min_count").notNull().default(1),
    groupBy: text("group_by"),
    renotifyMinutes: integer("renotify_minutes"),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    signingSecret: text("signing_secret").notNull(),
    /** The dashboard's origin when the rule was saved: notifications link back to it. */
    origin: text("origin").notNull(),
    /** JSON [[at, value]…]: the worst value of the last evaluations (the dashboard's small chart). */
    recent: text("recent").notNull().default("[]"),
    lastEvaluatedAt: integer("last_evaluated_at"),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull().default(now),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [index("alert_rules_project").on(t.projectId), index("alert_rules_due").on(t.enabled, t.lastEvaluatedAt)],
);
export type AlertRuleRow = typeof alertRules.$inferSelect;

/** Where a rule's notifications go; a channel failing for 24 h is disabled (a later success enables it again). */
export const alertChannels = sqliteTable(
  "alert_channels",
  {
    id: text("id").primaryKey(),
    alertId: text("alert_id")
      .notNull()
      .references(() => alertRules.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    type: text("type", { enum: ["webhook", "slack", "email"] }).notNull(),
    /** The URL (webhook, slack) or the address (email). */
    target: text("target").notNull(),
    failingSince: integer("failing_since"),
    disabledAt: integer("disabled_at"),
    disabledReason: text("disabled_reason"),
  },
  (t) => [index("alert_channels_alert").on(t.alertId, t.position)],
);
export type AlertChannelRow = typeof alertChannels.$inferSelect;

/**
 * A rule's state per group ('' for a rule without group_by). `transition` counts its state changes: a change is
 * claimed with `UPDATE … WHERE state = ? AND transition = ?`, so two overlapping runs can't both notify it.
 */
export const alertStates = sqliteTable(
  "alert_states",
  {
    alertId: text("alert_id")
      .notNull()
      .references(() => alertRules.id, { onDelete: "cascade" }),
    groupKey: text("group_key").notNull(),
    /** JSON object of the group's values, or null. */
    groupJson: text("group_json"),
    state: text("state", { enum: ["ok", "firing", "resolved"] }).notNull(),
    transition: integer("transition").notNull().default(0),
    since: integer("since").notNull(),
    value: real("value"),
    count: integer("count").notNull().default(0),
    lastNotifiedAt: integer("last_notified_at"),
  },
  (t) => [primaryKey({ columns: [t.alertId, t.groupKey] }), index("alert_states_state").on(t.alertId, t.state)],
);
export type AlertStateRow = typeof alertStates.$inferSelect;

/** Every state change of a rule's groups (the history), one per transition. */
export const alertTransitions = sqliteTable(
  "alert_transitions",
  {
    id: text("id").primaryKey(),
    alertId: text("alert_id")
      .notNull()
      .references(() => alertRules.id, { onDelete: "cascade" }),
    groupKey: text("group_key").notNull(),
    groupJson: text("group_json"),
    transition: integer("transition").notNull(),
    fromState: text("from_state", { enum: ["ok", "firing", "resolved"] }).notNull(),
    toState: text("to_state", { enum: ["ok", "firing", "resolved"] }).notNull(),
    value: real("value"),
    count: integer("count").notNull(),
    threshold: real("threshold").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [
    uniqueIndex("alert_transitions_once").on(t.alertId, t.groupKey, t.transition),
    index("alert_transitions_alert").on(t.alertId, t.at),
  ],
);

/** One notification to one channel; `id` is the delivery_id every attempt carries. `payload` is the webhook JSON. */
export const alertDeliveries = sqliteTable(
  "alert_deliveries",
  {
    id: text("id").primaryKey(),
    alertId: text("alert_id")
      .notNull()
      .references(() => alertRules.id, { onDelete: "cascade" }),
    channelId: text("channel_id").notNull(),
    reason: text("reason", { enum: ["transition", "renotify", "test", "usage"] }).notNull(),
    payload: text("payload").notNull(),
    status: text("status", { enum: ["queued", "retrying", "delivered", "failed", "skipped"] })
      .notNull()
      .default("queued"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    index("alert_deliveries_alert").on(t.alertId, t.createdAt),
    // The minute sweep's read: deliveries recorded but never attempted (their queue send may have failed).
    index("alert_deliveries_unsent").on(t.updatedAt).where(sql`status = 'queued' AND attempts = 0`),
  ],
);
export type AlertDeliveryRow = typeof alertDeliveries.$inferSelect;

/** Every attempt at a delivery: the receiver's status and the first 1 KB of its answer, or the error. */
export const alertAttempts = sqliteTable(
  "alert_attempts",
  {
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => alertDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    at: integer("at").notNull(),
    status: integer("status"),
    response: text("response"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.attempt] })],
);
export type AlertAttemptRow = typeof alertAttempts.$inferSelect;

/**
 * Usage per project, UTC day and way in, kept by the consumer from the rows each write newly inserted (so redelivery
 * adds nothing); in the control plane, so an org's usage is one query and outlives moves and project deletions.
 */
export const usageDaily = sqliteTable(
  "usage_daily",
  {
    orgId: text("org_id").notNull(),
    projectId: text("project_id").notNull(),
    /** The UTC day's start (epoch ms) the events were received on. */
    day: integer("day").notNull(),
    source: text("source").notNull(),
    events: integer("events").notNull().default(0),
    d1Bytes: integer("d1_bytes").notNull().default(0),
    r2Bytes: integer("r2_bytes").notNull().default(0),
    /** Scores newly stored (a repeated score id adds nothing). */
    scores: integer("scores").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.day, t.source] }), index("usage_daily_org").on(t.orgId, t.day)],
);

/**
 * The quota warnings of an org's month: one row per threshold (80, 100 percent of `events_per_month`) once the consumer
 * sees it reached; the every-minute run claims each unsent row (`notified_at` null) once and notifies the org's alert
 * channels (src/alerts/usage-warnings.ts). A new month has no rows, so warnings start again.
 */
export const usageWarnings = sqliteTable(
  "usage_warnings",
  {
    orgId: text("org_id").notNull(),
    /** The month's start (UTC, epoch ms). */
    month: integer("month").notNull(),
    /** Percent of the quota: 80 or 100. */
    threshold: integer("threshold").notNull(),
    /** The org's events this month when the threshold was seen reached, and the plan's limit then. */
    events: integer("events").notNull(),
    eventLimit: integer("event_limit").notNull(),
    reachedAt: integer("reached_at").notNull(),
    notifiedAt: integer("notified_at"),
    /** Notifications queued for it (0: the org's projects have no alert channel; the dashboard banner still says it). */
    deliveries: integer("deliveries").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.month, t.threshold] }), index("usage_warnings_pending").on(t.notifiedAt)],
);
export type UsageWarningRow = typeof usageWarnings.$inferSelect;
/**
 * Share links (contract/shares.ts): a public, read-only link to one trace. Only the SHA-256 of the token is stored, as
 * for API keys. A link of a deleted trace finds nothing; a deleted project's links go with it.
 */
export const shareLinks = sqliteTable(
  "share_links",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    traceId: text("trace_id").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** Bodies, previews, score comments, end-user ids and metadata are left out of what the link answers. */
    hideIo: integer("hide_io", { mode: "boolean" }).notNull().default(false),
    /** `user:<id>` or `key:<id>` (src/auth/access.ts actorOf). */
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull().default(now),
    expiresAt: integer("expires_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("share_links_hash").on(t.tokenHash), index("share_links_project").on(t.projectId, t.createdAt)],
);
export type ShareLinkRow = typeof shareLinks.$inferSelect;
