// Usage and plans (/api/orgs/:org/usage): what an org's projects stored per day and way in, and the plan it is held to.
import { z } from "zod";
import { timeParam } from "./query-params.ts";

/** The ways in, as usage counts them: the events API (SDKs, curl), OTLP, Langfuse ingestion and the gateway. */
export const INGEST_SOURCES = ["sdk", "otlp", "langfuse", "gateway"] as const;
export type IngestSource = (typeof INGEST_SOURCES)[number];

/**
 * A plan as the operator defines it (the `PLANS` var, JSON keyed by plan name). A missing limit is no limit; the
 * self-hosted default is no plan at all, so nothing is limited.
 */
export const planLimits = z.strictObject({
  /** Events accepted per calendar month (UTC), all of the org's projects and ways in together. */
  events_per_month: z.number().int().nonnegative().nullable().default(null),
  /** The longest retention a project of the org keeps its traces (days). */
  retention_days: z.number().int().positive().nullable().default(null),
  /** Members of the org, pending invites included. */
  members: z.number().int().positive().nullable().default(null),
  /** Whether the org's projects may use the gateway. */
  gateway: z.boolean().default(true),
  /** The `[[ratelimits]]` binding that limits each project's ingest requests (default: INGEST_RATE_LIMIT). */
  rate_limiter: z.string().min(1).nullable().default(null),
});
export type PlanLimits = z.infer<typeof planLimits>;
export const planConfig = z.record(z.string().min(1), planLimits);

const sums = {
  events: z.number().int(),
  /** Estimated bytes in D1: the event's text columns plus a fixed per-row overhead (keys, numbers, indexes). */
  d1_bytes: z.number().int(),
  /** Bytes of bodies kept in R2. */
  r2_bytes: z.number().int(),
  /** Calls recorded through the gateway. */
  gateway_calls: z.number().int(),
  /** Scores newly stored (every way in: the scores API, SDKs, Langfuse score items); a repeated score id adds nothing. */
  scores: z.number().int(),
};

/** The quota warnings: at these percentages of `events_per_month`, once per org and month. */
export const USAGE_WARNING_THRESHOLDS = [80, 100] as const;

const usageWarning = z.strictObject({
  /** Percent of the month's quota. */
  threshold: z.number().int(),
  /** When the consumer saw it reached, and the org's events then. */
  reached_at: z.number(),
  events: z.number().int(),
  /** When the notifications were queued (null: within the next minute), and how many (one per alert channel). */
  notified_at: z.number().nullable(),
  deliveries: z.number().int(),
});

export const usageReport = z.strictObject({
  org_id: z.string(),
  from: z.number(),
  to: z.number(),
  plan: z.strictObject({
    /** The plan's name, or null when the org has none and the instance sets no default (unlimited). */
    name: z.string().nullable(),
    events_per_month: z.number().nullable(),
    retention_days: z.number().nullable(),
    members: z.number().nullable(),
    gateway: z.boolean(),
  }),
  /** The current calendar month (UTC) against the plan's monthly event quota. */
  month: z.strictObject({
    start: z.number(),
    end: z.number(),
    events: z.number().int(),
    limit: z.number().nullable(),
    /** `near` from 80% of the limit, `over` once it is reached (ingest then answers 429 `quota_exceeded`). */
    state: z.enum(["ok", "near", "over"]),
    /** The warnings of this month so far (80% and 100%), each sent once to the org's alert channels. */
    warnings: z.array(usageWarning),
  }),
  totals: z.strictObject(sums),
  by_project: z.array(z.strictObject({ project_id: z.string(), name: z.string().nullable(), ...sums })),
  by_source: z.array(z.strictObject({ source: z.enum(INGEST_SOURCES), ...sums })),
  /** One point per UTC day in range that had usage (day start, epoch ms). */
  days: z.array(z.strictObject({ day: z.number(), ...sums })),
});
export type UsageReport = z.infer<typeof usageReport>;

/**
 * A quota warning as a webhook receives it (signed like an alert's, with the signing secret of the rule whose channel
 * it goes to). `type` tells it apart from an alert notification.
 */
export const usageWarningPayload = z.strictObject({
  delivery_id: z.string(),
  type: z.literal("usage_warning"),
  org: z.strictObject({ id: z.string(), name: z.string() }),
  plan: z.string().nullable(),
  /** 80: most of the month's events are used; 100: ingest now refuses new events (429 `quota_exceeded`). */
  threshold_percent: z.number().int(),
  events: z.number().int(),
  limit: z.number().int(),
  month: z.strictObject({ start: z.number(), end: z.number() }),
  /** What happens now, in a sentence. */
  message: z.string(),
  /** The dashboard's Settings → Usage of a project of the org. */
  usage_url: z.string(),
  reached_at: z.number(),
});
export type UsageWarningPayload = z.infer<typeof usageWarningPayload>;

/** `GET /api/orgs/:org/usage`. */
export const usageParams = z
  .object({ from: timeParam.optional(), to: timeParam.optional() })
  .refine((p) => p.from === undefined || p.to === undefined || p.from <= p.to, {
    message: "`from` must not be after `to`",
    path: ["from"],
  });
