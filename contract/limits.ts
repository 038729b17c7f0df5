// Every limit a client can run into, in one place (README "Limits" lists them). Ingest limits are chosen against
// Cloudflare's: Queue messages ≤ 128 KB, sendBatch ≤ 100 messages / 256 KB, D1 values ≤ 2 MB and ≤ 100 bound
// parameters per statement.
export const LIMITS = {
  /** Request body, counted after decompression. */
  maxRequestBytes: 4 * 1024 * 1024,
  maxEventsPerRequest: 1000,
  /** A stored event (all fields, JSON): a bigger body is truncated to fit. Large bodies are kept in R2 (BODY_LIMITS). */
  maxEventBytes: 1024 * 1024,
  /** A body larger than this can't travel in a queue message: the way in writes it to R2 first and sends a pointer. */
  maxQueuedBodyBytes: 64 * 1024,
  /** A Langfuse create/update item's body kept in D1 until its event is folded; larger ones wait in R2. */
  maxPartBodyBytes: 48 * 1024,
  /** context is indexed metadata, not payload: an event whose context is larger is rejected. */
  maxContextBytes: 8 * 1024,
  /** How deeply an event's body or context may nest (SQLite's JSON functions stop at 1,000 levels). */
  maxJsonDepth: 100,
  /** Ids, names and the like. */
  maxIdChars: 128,
  maxNameChars: 256,
  maxTags: 50,
  maxTagChars: 64,
  /** `context.environment` and `context.release`: short names that group metrics and alerts. */
  maxEnvironmentChars: 64,
  maxReleaseChars: 128,
  /** A queue message carries as many events as fit in this. */
  maxMessageBytes: 120 * 1024,
  /** One sendBatch call: at most this many messages and bytes. */
  maxSendBatchMessages: 100,
  maxSendBatchBytes: 250 * 1024,
  /** One D1 statement's JSON parameter (json_each) stays under D1's 2 MB value limit. */
  maxJsonParamBytes: 1800 * 1024,
} as const;

/** Bodies kept in R2 (the `BODIES` bucket) instead of D1. */
export const BODY_LIMITS = {
  /** The default of the BODY_OFFLOAD_BYTES var: the consumer keeps bodies larger than this in R2. */
  offloadBytes: 2 * 1024,
  /**
   * D1 keeps this many characters of an offloaded body's input, output and message (the tree's previews read them;
   * search indexes SEARCH_LIMITS.textChars of the full body, taken before it moves to R2).
   */
  previewChars: 500,
  /** Exports fetch this many bodies from R2 at once. */
  readConcurrency: 8,
} as const;

/** Retention and deletion. */
export const LIFECYCLE_LIMITS = {
  minRetentionDays: 1,
  maxRetentionDays: 3650,
  /** Hourly cost rollups outlive events: they are kept this many days, or the retention if it is longer. */
  rollupRetentionDays: 400,
  /** Events one deletion step removes (one D1 transaction; R2 deletes go 1,000 keys a call). */
  eventsPerStep: 1000,
  /** Steps the scheduled handler gives one project's retention per run, so every project gets its turn. */
  retentionStepsPerProject: 20,
  /** A deleted project's shard is swept again after this long: the consumer may still hold its placement until then. */
  lateWritesMs: 60_000,
} as const;

/** Reads of one trace. */
export const TREE_LIMITS = {
  /** Bodies up to this many bytes are inlined in the tree; larger ones are flagged and fetched per event… */
  inlineBodyBytes: 1_024,
  /** …in traces of up to this many events (beyond it, no body is inlined). */
  inlineMaxEvents: 200,
  /** Characters of output (or message, or input) text shown as each tree row's preview… */
  previewChars: 160,
  /** …in traces of up to this many events (beyond it, previews are null and the tree is timing and names only). */
  previewMaxEvents: 2_000,
} as const;

/** Full-text search (`q` on the trace list). */
export const SEARCH_LIMITS = {
  /**
   * A search looks at the newest this-many matching index rows (one per trace and write, so ≈ 10 events each in the
   * benches' mixes): a word found everywhere must not walk a whole project. Each row costs a lookup of its event.
   */
  maxIndexRows: 2_000,
  /** How much of each of an event's input, output and message text is searchable. */
  textChars: 2_000,
  /** Words of a query beyond this are ignored. */
  maxWords: 16,
} as const;

/** Pages and reports. */
export const PAGE_LIMITS = {
  traces: { default: 50, max: 200 },
  groups: { default: 50, max: 200 },
  groupTraces: { default: 100, max: 500 },
  costGroups: { default: 100, max: 1000 },
  costBuckets: 2_000,
  auditLog: { default: 50, max: 200 },
  recomputeStep: 1_000,
} as const;

/** Price override rules (they run against every model name in the shared consumer). */
export const MATCH_RULE_LIMITS = {
  /** `and`/`or` nesting. */
  maxDepth: 4,
  /** Rules in one override, counting every nested one. */
  maxRules: 64,
  patternChars: 200,
} as const;

/** Timestamps outside these (epoch ms of 2000-01-01 and 2100-01-01) are refused: they are seconds or garbage. */
export const TIME_RANGE = { min: 946_684_800_000, max: 4_102_444_800_000 } as const;

/** The expiries the dashboard offers for a share link, in days; the API takes any whole number up to maxExpiryDays. */
export const SHARE_EXPIRY_DAYS = [1, 7, 30, 90] as const;
export const SHARE_LIMITS = {
  /** Longest expiry, days (a link may also never expire). */
  maxExpiryDays: 365,
  /** Reads of one link from one client IP per minute (SHARE_RATE_LIMIT in wrangler.toml, per Cloudflare location). */
  readsPerMinute: 120,
} as const;
