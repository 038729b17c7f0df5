// Usage and plans (/api/orgs/:org/usage): what an org's projects stored per day and way in, and the plan it is held to.
import { z } from "zod";

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
};

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
  }),
  totals: z.strictObject(sums),
  by_project: z.array(z.strictObject({ project_id: z.string(), name: z.string().nullable(), ...sums })),
  by_source: z.array(z.strictObject({ source: z.enum(INGEST_SOURCES), ...sums })),
  /** One point per UTC day in range that had usage (day start, epoch ms). */
  days: z.array(z.strictObject({ day: z.number(), ...sums })),
});
export type UsageReport = z.infer<typeof usageReport>;
