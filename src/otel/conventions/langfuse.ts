// Langfuse's OTel attributes (SDK v4+ / `@langfuse/otel`): `langfuse.observation.*` (type, input/output, model,
// usage_details and cost_details as JSON, level/status_message) and `langfuse.trace.*` / `langfuse.user.id` / `langfuse.session.id`.
import { parseJson, toNumber } from "../attributes.ts";
import type { Convention, EventType, SpanAttrs, Usage } from "./convention.ts";

const OBSERVATION_TYPES: Record<string, EventType> = {
  generation: "model_response",
  embedding: "model_response",
  tool: "tool_call",
  event: "log",
  span: "span",
  agent: "span",
  chain: "span",
  retriever: "span",
  evaluator: "span",
  guardrail: "span",
};

function details(span: SpanAttrs, key: string): Record<string, number> | undefined {
  const value = parseJson(span.get(key));
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(value)) {
    const n = toNumber(v);
    if (n !== undefined) out[k] = n;
  }
  return out;
}

const sum = (values: Record<string, number>, keys: string[]) =>
  keys.reduce((total, key) => total + (values[key] ?? 0), 0);

/**
 * Langfuse's `input` excludes cached tokens (they travel as `input_cached_tokens`, `input_cache_read`,
 * `input_cache_creation`, …); WatchLLM counts them inside `input_tokens`, as OpenAI reports them.
 */
function usage(span: SpanAttrs): Usage | undefined {
  const d = details(span, "langfuse.observation.usage_details");
  if (!d) return undefined;
  const cachedKeys = ["input_cached_tokens", "input_cache_read", "cache_read_input_tokens"];
  const writeKeys = ["input_cache_creation", "input_cache_write", "cache_creation_input_tokens"];
  const base = d.input ?? d.prompt_tokens ?? d.input_tokens ?? 0;
  const usage: Usage = {
    input_tokens: base + sum(d, cachedKeys) + sum(d, writeKeys),
    output_tokens: d.output ?? d.completion_tokens ?? d.output_tokens ?? 0,
  };
  if (cachedKeys.some((k) => k in d)) usage.cached_input_tokens = sum(d, cachedKeys);
  if (writeKeys.some((k) => k in d)) usage.cache_write_tokens = sum(d, writeKeys);
  return usage;
}

function cost(span: SpanAttrs): number | undefined {
  const d = details(span, "langfuse.observation.cost_details");
  if (!d) return undefined;
  return d.total ?? Object.values(d).reduce((total, n) => total + n, 0);
}

export const langfuse: Convention = {
  name: "langfuse",
  type: (span) => {
    const type = span.get("langfuse.observation.type");
    return typeof type === "string" ? OBSERVATION_TYPES[type.toLowerCase()] : undefined;
  },
  model: ["langfuse.observation.model.name"],
  provider: [],
  user: ["langfuse.user.id"],
  session: ["langfuse.session.id"],
  tags: ["langfuse.trace.tags"],
  usage,
  cost,
  input: (span) => parseJson(span.first(["langfuse.observation.input", "langfuse.trace.input"])),
  output: (span) => parseJson(span.first(["langfuse.observation.output", "langfuse.trace.output"])),
  error: (span) => {
    if (span.all["langfuse.observation.level"] !== "ERROR") return undefined;
    span.get("langfuse.observation.level");
    const message = span.get("langfuse.observation.status_message");
    return typeof message === "string" ? message : "level ERROR";
  },
};
