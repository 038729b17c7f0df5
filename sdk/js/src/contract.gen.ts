// Generated from contract/ by `npm run gen:contract`; do not edit. The wire format of POST /api/v1/events and its answers.

/** An event as sent to `POST /api/v1/events`. */
export type WireEvent = {
  /** client-generated; the idempotency key (unique per trace within a project: the same event id sent again under the same `trace_id` changes nothing) */
  event_id: string;
  /** events with the same trace id form one trace */
  trace_id: string;
  /** builds the tree; null or absent for a root */
  parent_event_id?: string | null;
  /** colours in the dashboard: blue, purple, green, gray, red */
  type: "span" | "model_response" | "tool_call" | "log" | "error";
  /** defaults to the type */
  name?: string;
  /** start of the event: epoch **milliseconds** or ISO-8601 with offset, between 2000 and 2100 (a number before 2000 is almost always seconds) */
  timestamp: number | string;
  /** at most 30 days */
  duration_ms?: number | null;
  /** default `ok` (`error` for type `error`) */
  status?: "ok" | "error";
  /** `input`/`output` for spans, model and tool calls; `message`/`data` for logs; `message`/`stack`/`error_type` for errors; truncated (not rejected) beyond the event size limit; nests at most 100 levels */
  body?: Record<string, unknown> | null;
  /** `user_id`, `session_id`, `tags` (≤ 50 strings), `metadata` (object), anything else kept; ≤ 8 KB and ≤ 100 levels deep, else the event is rejected */
  context?: {
    user_id?: string | null;
    session_id?: string | null;
    /** where the app runs, e.g. `production`, `staging` (SDKs default it from WATCHLLM_ENVIRONMENT) */
    environment?: string | null;
    /** the app's version or deploy, e.g. a git sha (SDKs default it from WATCHLLM_RELEASE) */
    release?: string | null;
    tags?: Array<string>;
    metadata?: Record<string, unknown>;
    [key: string]: unknown;
  } | null;
  /** for `model_response` */
  model?: string | null;
  /** for `model_response`, e.g. `openai`, `anthropic` */
  provider?: string | null;
  /** for a `model_response` recorded from its HTTP request (the SDKs' `observeFetch`): the API's host; without `provider`, ingest names the provider from it (a known API host) or from `model` */
  api_host?: string | null;
  /** for a streamed `model_response`: milliseconds from the request to the first streamed token */
  first_token_ms?: number | null;
  /** tokens of a model call: `{ input_tokens, output_tokens, cached_input_tokens?, cache_write_tokens? }` (cached tokens counted inside `input_tokens`, as OpenAI reports them), or a provider's usage object as it returned it (OpenAI, DeepSeek, Anthropic, Gemini), mapped to that by ingest */
  usage?: Record<string, unknown> | null;
  /** when the client knows the cost (recorded with `cost_source: "client"`); otherwise priced from the price table */
  cost_usd?: number | null;
};

/** Tokens of a model call (cached tokens counted inside `input_tokens`). */
export type Usage = {
  /** all input tokens, cached ones included */
  input_tokens: number;
  output_tokens: number;
  /** input tokens read from the provider's cache */
  cached_input_tokens?: number;
  /** input tokens written to the provider's cache */
  cache_write_tokens?: number;
};

/** What an event is. */
export type EventType = WireEvent["type"];

/** An event the server did not take, and why. */
export type Rejection = {
  index: number;
  event_id: string | null;
  code: "invalid_event" | "event_too_large" | "duplicate_event_id";
  message: string;
};

/** The 202 answer: how many events were queued, and why the others were not. */
export type IngestAnswer = {
  accepted: number;
  rejected: Array<{
    index: number;
    event_id: string | null;
    code: "invalid_event" | "event_too_large" | "duplicate_event_id";
    message: string;
  }>;
};

/** A score as sent to `POST /api/v1/scores`. */
export type WireScore = {
  /** the idempotency key (unique per project); derived from the score when absent */
  score_id?: string;
  /** the trace the score judges; it may arrive before the trace */
  trace_id: string;
  /** a span or model call inside the trace */
  event_id?: string | null;
  name: string;
  /** a number, a boolean, or a categorical label (≤ 200 characters) */
  value: number | boolean | string;
  comment?: string | null;
  /** defaults to `api` (secret key) or `feedback` (ingest key) */
  source?: "api" | "sdk" | "feedback" | "annotation" | "eval";
  /** when the score was given; the latest one wins for a score id */
  timestamp?: number | string;
  context?: {
    user_id?: string | null;
    metadata?: Record<string, unknown>;
  };
};

/** The 202 answer of `POST /api/v1/scores`. */
export type ScoreIngestAnswer = {
  accepted: number;
  rejected: Array<{
    index: number;
    score_id: string | null;
    code: "invalid_score" | "source_not_allowed" | "outside_config";
    message: string;
  }>;
};

/** Every error answer (codes: invalid_json, invalid_request, invalid_body, invalid_cursor, empty_batch, too_many_events, too_many_scores, payload_too_large, unsupported_encoding, unsupported_media_type, unauthorized, invalid_credentials, missing_api_key, invalid_api_key, revoked_api_key, forbidden, plan_limit, signup_closed, not_found, method_not_allowed, conflict, invite_expired, rate_limited, quota_exceeded, internal_error, queue_unavailable, storage_unavailable). */
export type ErrorBody = {
  error: {
    code: "invalid_json" | "invalid_request" | "invalid_body" | "invalid_cursor" | "empty_batch" | "too_many_events" | "too_many_scores" | "payload_too_large" | "unsupported_encoding" | "unsupported_media_type" | "unauthorized" | "invalid_credentials" | "missing_api_key" | "invalid_api_key" | "revoked_api_key" | "forbidden" | "plan_limit" | "signup_closed" | "not_found" | "method_not_allowed" | "conflict" | "invite_expired" | "rate_limited" | "quota_exceeded" | "internal_error" | "queue_unavailable" | "storage_unavailable";
    message: string;
    details: unknown;
  };
};
