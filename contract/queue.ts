// What travels on the event queue, from every way in (producers) to the one consumer: an event normalized for storage
// (flat, JSON fields as text, times in epoch ms), whose fields are the columns of the `events` table.
import { z } from "zod";
import { COST_SOURCES, EVENT_STATUSES, EVENT_TYPES } from "./constants.ts";
import { id } from "./event.ts";
import { storedScore } from "./scores.ts";
import { INGEST_SOURCES } from "./usage.ts";

export const storedEvent = z.object({
  event_id: id,
  trace_id: id,
  parent_event_id: id.nullable(),
  type: z.enum(EVENT_TYPES),
  name: z.string(),
  ts: z.number(),
  duration_ms: z.number().nullable(),
  status: z.enum(EVENT_STATUSES),
  body: z.string().nullable(),
  context: z.string().nullable(),
  model: z.string().nullable(),
  provider: z.string().nullable(),
  input_tokens: z.number().nullable(),
  output_tokens: z.number().nullable(),
  cached_input_tokens: z.number().nullable(),
  cache_write_tokens: z.number().nullable(),
  cost_usd: z.number().nullable(),
  cost_source: z.enum(COST_SOURCES).nullable(),
  user_id: z.string().nullable(),
  session_id: z.string().nullable(),
  truncated: z.union([z.literal(0), z.literal(1)]),
  /** Where the whole body is kept when it is not in D1 (an R2 key); `body` then holds its preview. */
  body_ref: z.string().nullable(),
  /** The whole body's size in bytes and SHA-256 (hex), when it is kept in R2. */
  body_bytes: z.number().int().nullable(),
  body_sha256: z.string().nullable(),
  /** `context.environment` and `context.release`, and a streamed call's time to first token (absent in older messages). */
  environment: z.string().nullable().default(null),
  release: z.string().nullable().default(null),
  first_token_ms: z.number().nullable().default(null),
});
export type StoredEvent = z.output<typeof storedEvent>;

/** The stored-event fields in the order the consumer writes them (the `events` columns after `project_id`). */
export const STORED_EVENT_FIELDS = Object.keys(storedEvent.shape) as Array<keyof StoredEvent>;

/**
 * A piece of an event that arrives in several (Langfuse's `*-create` and `*-update`, in any order, each possibly more
 * than once): a partial wire event (plus `end`, epoch ms). The consumer keeps every part and stores the event folded
 * from all of them, once they make a valid one.
 */
export const eventPart = z.object({
  event_id: id,
  trace_id: id,
  /** Idempotency key of the part (the client's batch item id). */
  part_id: z.string().min(1).max(128),
  /** Folding order: creates (0) before updates (1), then by the client's time, then by part id. */
  rank: z.number().int(),
  at: z.number(),
  fields: z.record(z.string(), z.unknown()),
});
export type EventPart = z.infer<typeof eventPart>;

export const queueMessage = z
  .object({
    project_id: z.string().min(1),
    received_at: z.number(),
    events: z.array(storedEvent),
    parts: z.array(eventPart).optional(),
    scores: z.array(storedScore).optional(),
    /** The way in that accepted the events (usage counts by it); absent on messages from before it was added. */
    source: z.enum(INGEST_SOURCES).optional(),
  })
  .refine(
    (m) => m.events.length + (m.parts?.length ?? 0) + (m.scores?.length ?? 0) > 0,
    "a message carries at least one event, part or score",
  );
export type QueueMessage = z.infer<typeof queueMessage>;
