// The control plane's drizzle schema (binding DB): users, orgs, projects and their placement, keys, prices, score
// configs, alerts, usage, share links, the audit log, dead letters, and the jobs table every database has.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { KEY_KINDS, ROLES } from "../../contract/constants.ts";
import { JOB_STATUSES } from "../../contract/data.ts";
import { SCORE_KINDS } from "../../contract/scores.ts";
import { both, control } from "./kinds.ts";

const now = sql`(unixepoch('subsec') * 1000)`;

export const orgs = control(
  sqliteTable("orgs", {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    createdAt: integer("created_at").notNull().default(now),
    /** The org's plan, a key of the PLANS var (docs/usage.md); null: the instance's DEFAULT_PLAN (or unlimited). */
    plan: text("plan"),
  }),
);

export const projects = control(
  sqliteTable(
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
  ),
);

export type ProjectRow = typeof projects.$inferSelect;

/** API keys: only the SHA-256 of the key is stored; `prefix` is what the dashboard shows. */
export const apiKeys = control(
  sqliteTable(
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
  ),
);

export const users = control(
  sqliteTable("users", {
    id: text("id").primaryKey(),
    /** Stored lowercased: one account per address. */
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    /** `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>` */
    passwordHash: text("password_hash").notNull(),
    /** The first user of an instance administers it. */
    isAdmin: integer("is_admin", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull().default(now),
  }),
);

/** Sessions are looked up by the SHA-256 of the cookie token; the token itself is never stored. */
export const sessions = control(
  sqliteTable(
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
  ),
);

export const orgMembers = control(
  sqliteTable(
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
  ),
);

/** Invite links: single use, expiring; only the token's hash is stored. */
export const invites = control(
  sqliteTable(
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
  ),
);

/**
 * Login attempts per `pair:<email>|<ip>` and `ip:<ip>` in a window (src/auth/login-limit.ts): each attempt is counted
 * before the password is checked; `blocked_until` is when the next attempt may be made.
 */
export const loginFailures = control(
  sqliteTable("login_failures", {
    key: text("key").primaryKey(),
    count: integer("count").notNull(),
    windowStart: integer("window_start").notNull(),
    blockedUntil: integer("blocked_until").notNull().default(0),
  }),
);

/** Queue messages that exhausted their retries, kept for operators instead of vanishing. */
export const deadLetters = control(
  sqliteTable("dead_letters", {
    id: text("id").primaryKey(),
    queue: text("queue").notNull(),
    projectId: text("project_id"),
    body: text("body").notNull(),
    attempts: integer("attempts").notNull(),
    receivedAt: integer("received_at").notNull(),
  }),
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export type UserRow = typeof users.$inferSelect;

/**
 * Prices per million tokens. Built-in rows (project_id NULL) come from @pydantic/genai-prices through a generated
 * migration (`npm run prices:import`); a project's rows override them for its events. One row per model and
 * effective date; `match` is a JSON match rule ({"equals": "gpt-4o"}, {"starts_with": "ft:gpt-4o"}, and/or ...),
 * `rates` JSON like {"input_mtok": 2.5, "output_mtok": 10, "cache_read_mtok": 1.25} where a rate may be tiered.
 */
export const prices = control(
  sqliteTable(
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
  ),
);

/**
 * Background work done in bounded steps by the scheduled handler (src/maintenance), resumable from `progress`: index
 * rebuilds after an upgrade, and (later) deletions too large for one request.
 */
export const jobs = both(
  sqliteTable(
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
  ),
);

export type JobRow = typeof jobs.$inferSelect;

/**
 * Who did what to whose data: retention changes and deletions (requested and finished). Kept in the control plane;
 * an org's owners and admins read it (GET /api/orgs/:org/audit-log).
 */
export const auditLog = control(
  sqliteTable(
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
  ),
);

export type AuditRow = typeof auditLog.$inferSelect;

/** Score configs (control plane): what a score of a configured name may be; enforced when scores arrive. */
export const scoreConfigs = control(
  sqliteTable(
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
  ),
);

export type ScoreConfigRow = typeof scoreConfigs.$inferSelect;

/**
 * Alert rules (control plane, per project): a metric of the project's events over a window against a threshold,
 * evaluated every minute by the scheduled handler (src/alerts). `signing_secret` signs its webhooks.
 */
export const alertRules = control(
  sqliteTable(
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
  ),
);

export type AlertRuleRow = typeof alertRules.$inferSelect;

/** Where a rule's notifications go; a channel failing for 24 h is disabled (a later success enables it again). */
export const alertChannels = control(
  sqliteTable(
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
  ),
);

export type AlertChannelRow = typeof alertChannels.$inferSelect;

/**
 * A rule's state per group ('' for a rule without group_by). `transition` counts its state changes: a change is
 * claimed with `UPDATE … WHERE state = ? AND transition = ?`, so two overlapping runs can't both notify it.
 */
export const alertStates = control(
  sqliteTable(
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
  ),
);

export type AlertStateRow = typeof alertStates.$inferSelect;

/** Every state change of a rule's groups (the history), one per transition. */
export const alertTransitions = control(
  sqliteTable(
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
  ),
);

/** One notification to one channel; `id` is the delivery_id every attempt carries. `payload` is the webhook JSON. */
export const alertDeliveries = control(
  sqliteTable(
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
  ),
);

export type AlertDeliveryRow = typeof alertDeliveries.$inferSelect;

/** Every attempt at a delivery: the receiver's status and the first 1 KB of its answer, or the error. */
export const alertAttempts = control(
  sqliteTable(
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
  ),
);

export type AlertAttemptRow = typeof alertAttempts.$inferSelect;

/**
 * Usage per project, UTC day and way in, kept by the consumer from the rows each write newly inserted (so redelivery
 * adds nothing); in the control plane, so an org's usage is one query and outlives moves and project deletions.
 */
export const usageDaily = control(
  sqliteTable(
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
  ),
);

/**
 * The quota warnings of an org's month: one row per threshold (80, 100 percent of `events_per_month`) once the consumer
 * sees it reached; the every-minute run claims each unsent row (`notified_at` null) once and notifies the org's alert
 * channels (src/alerts/usage-warnings.ts). A new month has no rows, so warnings start again.
 */
export const usageWarnings = control(
  sqliteTable(
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
  ),
);

export type UsageWarningRow = typeof usageWarnings.$inferSelect;

/**
 * Share links (contract/shares.ts): a public, read-only link to one trace. Only the SHA-256 of the token is stored, as
 * for API keys. A link of a deleted trace finds nothing; a deleted project's links go with it.
 */
export const shareLinks = control(
  sqliteTable(
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
  ),
);

export type ShareLinkRow = typeof shareLinks.$inferSelect;
