// The one drizzle schema of WatchLLM's D1 database. Migrations in migrations/ are generated from it.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { COST_SOURCES, EVENT_STATUSES, EVENT_TYPES, KEY_KINDS, ROLES } from "../../contract/constants.ts";

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
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.eventId] }),
    index("events_project_ts").on(t.projectId, t.ts),
    index("events_trace_parent").on(t.projectId, t.traceId, t.parentEventId),
    // Calls with a client-given cost of 0, the gateway's cache hits among them: the Costs page's savings read only these.
    index("events_zero_cost").on(t.projectId, t.ts).where(sql`cost_source = 'client' AND cost_usd = 0`),
    // An end user's events, for deleting their data on request (DELETE /api/v1/users/:user_id).
    index("events_project_user").on(t.projectId, t.userId).where(sql`user_id IS NOT NULL`),
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
    index("traces_project_user").on(t.projectId, t.userId, t.startTs),
    index("traces_project_session").on(t.projectId, t.sessionId, t.startTs),
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

const JOB_STATUSES = ["pending", "running", "done", "failed"] as const;

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
    error: text("error"),
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
  },
  (t) => [primaryKey({ columns: [t.projectId, t.day, t.source] }), index("usage_daily_org").on(t.orgId, t.day)],
);
