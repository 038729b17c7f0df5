// The wire format of ingested events (zod) and its normalization into the stored shape the queue carries.
import { z } from "zod";
import { EVENT_STATUSES, EVENT_TYPES } from "../db/schema.ts";
import { byteLength, truncateJson } from "../lib/json-size.ts";
import { LIMITS } from "./limits.ts";

const id = z.string().min(1).max(128);
const count = z.number().int().nonnegative().max(1e12);
/** Epoch ms of 2000-01-01 and 2100-01-01: outside them a number is almost surely seconds or garbage. */
const MIN_TS = 946_684_800_000;
const MAX_TS = 4_102_444_800_000;

const timestamp = z.union([
  z.number().min(MIN_TS, "expected epoch milliseconds (a number this small looks like seconds)").max(MAX_TS),
  z.iso.datetime({ offset: true }).transform((iso) => Date.parse(iso)),
]);

export const wireEvent = z.object({
  event_id: id,
  trace_id: id,
  parent_event_id: id.nullish(),
  type: z.enum(EVENT_TYPES),
  name: z.string().min(1).max(256).optional(),
  timestamp,
  duration_ms: z
    .number()
    .nonnegative()
    .max(30 * 86_400_000)
    .nullish(),
  status: z.enum(EVENT_STATUSES).optional(),
  body: z.record(z.string(), z.unknown()).nullish(),
  context: z
    .looseObject({
      user_id: z.string().max(256).nullish(),
      session_id: z.string().max(256).nullish(),
      tags: z.array(z.string().max(64)).max(50).optional(),
      metadata: z.record(z.string(), z.unknown()).optional(),
    })
    .nullish(),
  model: z.string().max(128).nullish(),
  provider: z.string().max(64).nullish(),
  usage: z
    .object({
      input_tokens: count,
      output_tokens: count,
      cached_input_tokens: count.optional(),
      cache_write_tokens: count.optional(),
    })
    .nullish(),
  cost_usd: z.number().nonnegative().max(1e6).nullish(),
});

export type WireEvent = z.input<typeof wireEvent>;

/** An event as the queue carries it and the consumer stores it: flat, JSON fields as text, times in epoch ms. */
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
  cost_source: z.string().nullable(),
  user_id: z.string().nullable(),
  session_id: z.string().nullable(),
  truncated: z.union([z.literal(0), z.literal(1)]),
});

export type StoredEvent = z.infer<typeof storedEvent>;

export type Rejection = { index: number; event_id: string | null; code: string; message: string };

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "event"}: ${issue.message}`).join("; ");
}

function toStored(e: z.output<typeof wireEvent>): StoredEvent | Omit<Rejection, "index"> {
  const context = e.context ? JSON.stringify(e.context) : null;
  if (context && byteLength(context) > LIMITS.maxContextBytes) {
    return {
      event_id: e.event_id,
      code: "event_too_large",
      message: `context exceeds ${LIMITS.maxContextBytes} bytes`,
    };
  }
  const stored: StoredEvent = {
    event_id: e.event_id,
    trace_id: e.trace_id,
    parent_event_id: e.parent_event_id ?? null,
    type: e.type,
    name: e.name ?? e.type,
    ts: Math.round(e.timestamp),
    duration_ms: e.duration_ms ?? null,
    status: e.status ?? (e.type === "error" ? "error" : "ok"),
    body: null,
    context,
    model: e.model ?? null,
    provider: e.provider ?? null,
    input_tokens: e.usage?.input_tokens ?? null,
    output_tokens: e.usage?.output_tokens ?? null,
    cached_input_tokens: e.usage?.cached_input_tokens ?? null,
    cache_write_tokens: e.usage?.cache_write_tokens ?? null,
    cost_usd: e.cost_usd ?? null,
    cost_source: e.cost_usd == null ? null : "client",
    user_id: e.context?.user_id ?? null,
    session_id: e.context?.session_id ?? null,
    truncated: 0,
  };
  if (e.body) {
    const budget = LIMITS.maxEventBytes - byteLength(JSON.stringify(stored));
    const { json, truncated } = truncateJson(JSON.stringify(e.body), budget);
    stored.body = json;
    stored.truncated = truncated ? 1 : 0;
  }
  return stored;
}

/** Validates each event on its own: the good ones are kept, each bad one is reported with its index and reason. */
export function validateEvents(items: unknown[]): { events: StoredEvent[]; rejected: Rejection[] } {
  const events: StoredEvent[] = [];
  const rejected: Rejection[] = [];
  items.forEach((item, index) => {
    const parsed = wireEvent.safeParse(item);
    const eventId = (item as { event_id?: unknown } | null)?.event_id;
    if (!parsed.success) {
      rejected.push({
        index,
        event_id: typeof eventId === "string" ? eventId : null,
        code: "invalid_event",
        message: describeIssues(parsed.error),
      });
      return;
    }
    const result = toStored(parsed.data);
    if ("code" in result) rejected.push({ index, ...result });
    else events.push(result);
  });
  return { events, rejected };
}
