// A quick yes for events a way in built itself (OTLP spans): checks the same bounds as the contract's `wireEvent`
// schema on the shapes the mappers make (numbers as epoch ms, no unknown keys), without zod's per-field parsing and
// copying. Only a yes is trusted: anything else goes through the schema, which gives the answer and its message,
// so no event is taken that the schema would refuse (test/worker/check.test.ts compares them).
import { EVENT_STATUSES, EVENT_TYPES } from "../../contract/constants.ts";
import { EVENT_BOUNDS, PRINTABLE, type WireEvent } from "../../contract/event.ts";
import { nestsDeeper } from "../../contract/json.ts";
import { LIMITS, TIME_RANGE } from "../../contract/limits.ts";

const { maxUserChars, maxModelChars, maxProviderChars, maxDurationMs, maxTokens, maxCostUsd } = EVENT_BOUNDS;
const TYPES: ReadonlySet<unknown> = new Set(EVENT_TYPES);
const STATUSES: ReadonlySet<unknown> = new Set(EVENT_STATUSES);
const EVENT_KEYS: ReadonlySet<string> = new Set([
  "event_id",
  "trace_id",
  "parent_event_id",
  "type",
  "name",
  "timestamp",
  "duration_ms",
  "status",
  "body",
  "context",
  "model",
  "provider",
  "first_token_ms",
  "usage",
  "cost_usd",
]);
const USAGE_KEYS: ReadonlySet<string> = new Set([
  "input_tokens",
  "output_tokens",
  "cached_input_tokens",
  "cache_write_tokens",
]);

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
const absent = (v: unknown) => v === undefined || v === null;
const text = (v: unknown, max: number) => typeof v === "string" && v.length <= max;
const optionalText = (v: unknown, max: number) => absent(v) || text(v, max);
const id = (v: unknown) => typeof v === "string" && v.length >= 1 && v.length <= LIMITS.maxIdChars && PRINTABLE.test(v);
const between = (v: unknown, min: number, max: number) => typeof v === "number" && v >= min && v <= max;
const count = (v: unknown) => Number.isSafeInteger(v) && between(v, 0, maxTokens);
const shallow = (v: Json) => !nestsDeeper(v, LIMITS.maxJsonDepth);

function usageOk(usage: unknown): boolean {
  if (absent(usage)) return true;
  if (!isRecord(usage)) return false;
  for (const key in usage) if (!USAGE_KEYS.has(key)) return false;
  return (
    count(usage.input_tokens) &&
    count(usage.output_tokens) &&
    (usage.cached_input_tokens === undefined || count(usage.cached_input_tokens)) &&
    (usage.cache_write_tokens === undefined || count(usage.cache_write_tokens))
  );
}

function contextOk(context: unknown): boolean {
  if (absent(context)) return true;
  if (!isRecord(context)) return false;
  const tags = context.tags;
  const metadata = context.metadata;
  return (
    optionalText(context.user_id, maxUserChars) &&
    optionalText(context.session_id, maxUserChars) &&
    optionalText(context.environment, LIMITS.maxEnvironmentChars) &&
    optionalText(context.release, LIMITS.maxReleaseChars) &&
    (tags === undefined ||
      (Array.isArray(tags) && tags.length <= LIMITS.maxTags && tags.every((t) => text(t, LIMITS.maxTagChars)))) &&
    (metadata === undefined || isRecord(metadata)) &&
    shallow(context)
  );
}

/** The event itself when it certainly passes `wireEvent` unchanged; undefined when only the schema can tell. */
export function quickCheck(item: unknown): WireEvent | undefined {
  if (!isRecord(item)) return undefined;
  for (const key in item) if (!EVENT_KEYS.has(key)) return undefined;
  const e = item;
  const ok =
    id(e.event_id) &&
    id(e.trace_id) &&
    (absent(e.parent_event_id) || id(e.parent_event_id)) &&
    TYPES.has(e.type) &&
    (e.name === undefined ||
      (typeof e.name === "string" && e.name.length >= 1 && e.name.length <= LIMITS.maxNameChars)) &&
    between(e.timestamp, TIME_RANGE.min, TIME_RANGE.max) &&
    (absent(e.duration_ms) || between(e.duration_ms, 0, maxDurationMs)) &&
    (e.status === undefined || STATUSES.has(e.status)) &&
    optionalText(e.model, maxModelChars) &&
    optionalText(e.provider, maxProviderChars) &&
    (absent(e.first_token_ms) || between(e.first_token_ms, 0, maxDurationMs)) &&
    (absent(e.cost_usd) || between(e.cost_usd, 0, maxCostUsd)) &&
    usageOk(e.usage) &&
    (absent(e.body) || (isRecord(e.body) && shallow(e.body))) &&
    contextOk(e.context);
  return ok ? (e as WireEvent) : undefined;
}
