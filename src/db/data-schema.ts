// A data database's drizzle schema (DATA_0 … DATA_{N-1}): events, event parts, trace summaries, cost and metric
// rollups, scores. The search index (events_fts) is hand-written SQL (search.ts); `jobs` is in control-schema.ts.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { COST_SOURCES, EVENT_STATUSES, EVENT_TYPES } from "../../contract/constants.ts";
import { SCORE_AUTHOR_KINDS, SCORE_KINDS, SCORE_SOURCES } from "../../contract/scores.ts";
import { data } from "./kinds.ts";

/**
 * One row per event, unique per project and trace by the client's event_id (the idempotency key: a redelivered event
 * carries its trace id again). Times are epoch ms.
 */
export const events = data(
  sqliteTable(
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
      // Also a trace's events (the tree, exports, deletions), so they need no index of their own: an insert writes
      // the row and this key's entry only (migration 0029, docs/SCALING.md §2.7).
      primaryKey({ columns: [t.projectId, t.traceId, t.eventId] }),
      // Calls with a client-given cost of 0, the gateway's cache hits among them: the Costs page's savings read only these.
      // (`_v2`: migration 0029 made it on the new table while the old one still held `events_zero_cost`.)
      index("events_zero_cost_v2").on(t.projectId, t.ts).where(sql`cost_source = 'client' AND cost_usd = 0`),
    ],
  ),
);

/**
 * One summary row per trace, merged incrementally by the consumer. The root is the earliest event without a
 * parent (ties by event_id); while none has arrived, the earliest event stands in (root_rank 0 instead of 1).
 */
export const traces = data(
  sqliteTable(
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
    // WITHOUT ROWID in the migration (0025): the row is its primary key's entry, so a summary upsert writes no key
    // index. Every index entry is a row written per trace and write (docs/SCALING.md §2.4), so only the list's default
    // sort (start time, ending in trace_id so keyset pages need no temporary sort) has one; its other sorts sort the
    // range's traces. User lookups start from their own partial index; sessions read the range's traces (migration
    // 0029 dropped their index: §2.7).
    (t) => [
      primaryKey({ columns: [t.projectId, t.traceId] }),
      index("traces_project_start").on(t.projectId, t.startTs, t.traceId),
      // Partial: a trace without a user costs no entry (an upsert rewrites every index the row is in).
      index("traces_project_user").on(t.projectId, t.userId, t.startTs).where(sql`user_id IS NOT NULL`),
    ],
  ),
);

export type TraceRow = typeof traces.$inferSelect;

/** Cost rollup per project, hour, model and provider, kept by the consumer (see src/ingest/cost-rollup.ts). */
export const costHourly = data(
  sqliteTable(
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
  ),
);

/**
 * Pieces of events that arrive in several parts (Langfuse's create and update items), each kept once by its part id.
 * The event is stored folded from all of its parts; a part arriving later makes the consumer fold and store it again.
 */
export const eventParts = data(
  sqliteTable(
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
  ),
);

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

export const metricsMinute = data(metricRollup("metrics_minute"));
export const metricsHourly = data(metricRollup("metrics_hourly"));
/**
 * Day rollups (migration 0024): rebuilt from the hour rows of complete days marked in metricsDaysDirty (by triggers on
 * metrics_hourly, see the migration); sketches as flat JSON arrays of (bucket, count) pairs.
 */
export const metricsDaily = data(metricRollup("metrics_daily"));
/** Days whose hour rows changed since their day rows were built: readers take them from the hour rows. */
export const metricsDaysDirty = data(
  sqliteTable("metrics_days_dirty", { projectId: text("project_id").notNull(), day: integer("day").notNull() }, (t) => [
    primaryKey({ columns: [t.projectId, t.day] }),
  ]),
);

/**
 * Days whose day rows were built part-way (migration 0031: the day in progress): they cover [day, through); `events` and
 * `rows` are what they held when built. Hour rows from `through` on don't mark the day dirty; readers add them.
 */
export const metricsDaysPartial = data(
  sqliteTable(
    "metrics_days_partial",
    {
      projectId: text("project_id").notNull(),
      day: integer("day").notNull(),
      through: integer("through").notNull(),
      events: integer("events").notNull(),
      rows: integer("rows").notNull(),
    },
    (t) => [primaryKey({ columns: [t.projectId, t.day] })],
  ),
);

/**
 * Coarse rollups (migration 0025): the same sums and histograms per project, bucket and COARSE_DIMENSIONS only, written
 * by the consumer beside the full ones; readers take them when a read groups and filters by those dimensions only.
 */
const coarseRollup = (name: string) =>
  sqliteTable(
    name,
    {
      projectId: text("project_id").notNull(),
      bucket: integer("bucket").notNull(),
      type: text("type").notNull(),
      status: text("status").notNull(),
      ...metricSums,
    },
    (t) => [primaryKey({ columns: [t.projectId, t.bucket, t.type, t.status] })],
  );

export const metricsCoarseMinute = data(coarseRollup("metrics_coarse_minute"));
export const metricsCoarseHourly = data(coarseRollup("metrics_coarse_hourly"));

/**
 * Whole-project rollups (migration 0028): the same sums and histograms per project and bucket only, written by the
 * consumer beside the others; readers take them when a read neither groups nor filters (one row per bucket). Minute
 * rows also keep their own percentiles as sketch buckets (migration 0030, set by triggers from the merged sketch; NULL
 * when it is empty): a minute series of all events reads them instead of the sketches.
 */
const totalRollup = (name: string) =>
  sqliteTable(
    name,
    {
      projectId: text("project_id").notNull(),
      bucket: integer("bucket").notNull(),
      ...metricSums,
    },
    (t) => [primaryKey({ columns: [t.projectId, t.bucket] })],
  );

export const metricsTotalMinute = data(
  sqliteTable(
    "metrics_total_minute",
    {
      projectId: text("project_id").notNull(),
      bucket: integer("bucket").notNull(),
      ...metricSums,
      latencyP50: integer("latency_p50"),
      latencyP90: integer("latency_p90"),
      latencyP95: integer("latency_p95"),
      latencyP99: integer("latency_p99"),
      firstTokenP50: integer("first_token_p50"),
      firstTokenP95: integer("first_token_p95"),
    },
    (t) => [primaryKey({ columns: [t.projectId, t.bucket] })],
  ),
);
export const metricsTotalHourly = data(totalRollup("metrics_total_hourly"));

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

export const userMetricsMinute = data(userRollup("user_metrics_minute"));
export const userMetricsHourly = data(userRollup("user_metrics_hourly"));

/**
 * Scores (data databases): one row per (project, score_id); a score whose id comes again replaces it when its
 * timestamp is not older, and never when an ingest key would replace what a secret key or a member wrote
 * (src/scores/write.ts). A score may name a trace that has not arrived yet.
 */
export const scores = data(
  sqliteTable(
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
  ),
);

export type ScoreRow = typeof scores.$inferSelect;
