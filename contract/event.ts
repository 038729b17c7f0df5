// An event as clients send it (the wire format of POST /api/v1/events, and what every other way in is turned into),
// and the answer of the ingest route. The README's field table is generated from these descriptions.
import { z } from "zod";
import { EVENT_STATUSES, EVENT_TYPES } from "./constants.ts";
import { jsonDepth } from "./json.ts";
import { LIMITS, TIME_RANGE } from "./limits.ts";
import { normalizeUsage, providerOfCall } from "./providers.ts";

/**
 * Printable text: no control characters (they break headers, logs and exports) and no lone surrogates. Empty passes:
 * a length is checked on its own, with its own message (an empty id read "must not contain control characters" too).
 */
export const PRINTABLE = /^[^\p{Cc}\p{Cs}]*$/u;

/** The event's bounds that are not LIMITS (the schema below and src/ingest/check.ts's quick check use these). */
export const EVENT_BOUNDS = {
  maxUserChars: 256,
  maxModelChars: 128,
  maxProviderChars: 64,
  maxDurationMs: 30 * 86_400_000,
  maxTokens: 1e12,
  maxCostUsd: 1e6,
} as const;

/** Ids: printable text. */
export const id = z.string().min(1).max(LIMITS.maxIdChars).regex(PRINTABLE, "must not contain control characters");

const count = z.number().int().nonnegative().max(EVENT_BOUNDS.maxTokens);
const inRange = z
  .number()
  .min(TIME_RANGE.min, "expected epoch milliseconds (a number this small looks like seconds)")
  .max(TIME_RANGE.max, "must be before 2100");
/** A date as written: before 2000 is a date before 2000, not seconds. */
const dateInRange = z.number().min(TIME_RANGE.min, "must be from 2000 on").max(TIME_RANGE.max, "must be before 2100");

/** A time as epoch milliseconds or ISO-8601 with an offset, normalized to epoch ms; both forms within 2000–2100. */
export const timestamp = z.union([inRange, z.iso.datetime({ offset: true }).transform(Date.parse).pipe(dateInRange)]);

export const usage = z.object({
  input_tokens: count.describe("all input tokens, cached ones included"),
  output_tokens: count,
  cached_input_tokens: count.optional().describe("input tokens read from the provider's cache"),
  cache_write_tokens: count.optional().describe("input tokens written to the provider's cache"),
});

/**
 * An event's usage: WatchLLM's shape, or a provider's usage object as the provider returned it (OpenAI
 * chat/completions/responses, DeepSeek, Anthropic, Gemini), mapped here by the shared provider module so an SDK needn't
 * carry the mapping. Only WatchLLM's keys: checked as sent, so a bad count is refused with its reason. A provider's
 * object of no known shape (e.g. a new provider's) is dropped, not the event: the call is stored without tokens, as
 * the SDKs did before they sent usage as given.
 */
const eventUsage = z
  .record(z.string(), z.unknown())
  .transform((raw) => (Object.keys(raw).some((k) => !(k in usage.shape)) ? (normalizeUsage(raw) ?? null) : raw))
  .pipe(usage.nullable());

/** A JSON object nesting at most LIMITS.maxJsonDepth levels. */
const shallow = <T extends z.ZodType>(schema: T) =>
  schema.refine((v) => jsonDepth(v, LIMITS.maxJsonDepth) <= LIMITS.maxJsonDepth, {
    message: `nests deeper than ${LIMITS.maxJsonDepth} levels`,
  });

export const eventContext = z.looseObject({
  user_id: z.string().max(EVENT_BOUNDS.maxUserChars).nullish(),
  session_id: z.string().max(EVENT_BOUNDS.maxUserChars).nullish(),
  environment: z
    .string()
    .max(LIMITS.maxEnvironmentChars)
    .nullish()
    .describe("where the app runs, e.g. `production`, `staging` (SDKs default it from WATCHLLM_ENVIRONMENT)"),
  release: z
    .string()
    .max(LIMITS.maxReleaseChars)
    .nullish()
    .describe("the app's version or deploy, e.g. a git sha (SDKs default it from WATCHLLM_RELEASE)"),
  tags: z.array(z.string().max(LIMITS.maxTagChars)).max(LIMITS.maxTags).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export const wireEvent = z.object({
  event_id: id.describe(
    "client-generated; the idempotency key (unique per trace within a project: the same event id sent again under the same `trace_id` changes nothing)",
  ),
  trace_id: id.describe("events with the same trace id form one trace"),
  parent_event_id: id.nullish().describe("builds the tree; null or absent for a root"),
  type: z.enum(EVENT_TYPES).describe("colours in the dashboard: blue, purple, green, gray, red"),
  name: z.string().min(1).max(LIMITS.maxNameChars).optional().describe("defaults to the type"),
  timestamp: timestamp.describe(
    "start of the event: epoch **milliseconds** or ISO-8601 with offset, between 2000 and 2100 (a number before 2000 is almost always seconds)",
  ),
  duration_ms: z.number().nonnegative().max(EVENT_BOUNDS.maxDurationMs).nullish().describe("at most 30 days"),
  status: z.enum(EVENT_STATUSES).optional().describe("default `ok` (`error` for type `error`)"),
  body: shallow(z.record(z.string(), z.unknown()))
    .nullish()
    .describe(
      "`input`/`output` for spans, model and tool calls; `message`/`data` for logs; `message`/`stack`/`error_type` for errors; truncated (not rejected) beyond the event size limit; nests at most 100 levels",
    ),
  context: shallow(eventContext)
    .nullish()
    .describe(
      "`user_id`, `session_id`, `tags` (≤ 50 strings), `metadata` (object), anything else kept; ≤ 8 KB and ≤ 100 levels deep, else the event is rejected",
    ),
  model: z.string().max(EVENT_BOUNDS.maxModelChars).nullish().describe("for `model_response`"),
  provider: z
    .string()
    .max(EVENT_BOUNDS.maxProviderChars)
    .nullish()
    .describe("for `model_response`, e.g. `openai`, `anthropic`"),
  api_host: z
    .string()
    .max(253)
    .nullish()
    .describe(
      "for a `model_response` recorded from its HTTP request (the SDKs' `observeFetch`): the API's host; without `provider`, ingest names the provider from it (a known API host) or from `model`",
    ),
  first_token_ms: z
    .number()
    .nonnegative()
    .max(EVENT_BOUNDS.maxDurationMs)
    .nullish()
    .describe("for a streamed `model_response`: milliseconds from the request to the first streamed token"),
  usage: eventUsage
    .nullish()
    .describe(
      "tokens of a model call: `{ input_tokens, output_tokens, cached_input_tokens?, cache_write_tokens? }` (cached tokens counted inside `input_tokens`, as OpenAI reports them), or a provider's usage object as it returned it (OpenAI, DeepSeek, Anthropic, Gemini), mapped to that by ingest",
    ),
  cost_usd: z
    .number()
    .nonnegative()
    .max(EVENT_BOUNDS.maxCostUsd)
    .nullish()
    .describe(
      'when the client knows the cost (recorded with `cost_source: "client"`); otherwise priced from the price table',
    ),
});

/** An event as a client writes it. */
export type WireEventInput = z.input<typeof wireEvent>;
/** An event after validation (timestamps in epoch ms). */
export type WireEvent = z.output<typeof wireEvent>;
export type Usage = z.infer<typeof usage>;

/** The provider an event is stored with: its own, else the one its API host names (or its model, for another host). */
export const providerOfEvent = (e: WireEvent): string | null =>
  e.provider ?? (e.api_host ? (providerOfCall(e.api_host, e.model) ?? null) : null);

/** `POST /api/v1/events` takes `{ events: [...] }` (plus `api_key`, for sendBeacon) or a bare array. */
export const ingestRequest = z.union([
  z.array(z.unknown()),
  z.object({ events: z.array(z.unknown()), api_key: z.string().optional() }),
]);

export const rejection = z.strictObject({
  index: z.number().int().nonnegative(),
  event_id: z.string().nullable(),
  code: z.enum(["invalid_event", "event_too_large", "duplicate_event_id"]),
  message: z.string(),
});
export type Rejection = z.infer<typeof rejection>;

/** 202: how many events were put on the queue, and why the others were not. */
export const ingestAnswer = z.strictObject({ accepted: z.number().int().nonnegative(), rejected: z.array(rejection) });
export type IngestAnswer = z.infer<typeof ingestAnswer>;
