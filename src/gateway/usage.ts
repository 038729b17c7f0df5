// Provider usage shapes → the wire event's usage, where cached reads and cache writes are counted inside input_tokens
// (OpenAI's convention; Anthropic reports them beside input_tokens). Also the cost a provider reports itself.
import type { WireEventInput as WireEvent } from "../../contract/event.ts";

export type Usage = NonNullable<WireEvent["usage"]>;
type Raw = Record<string, unknown>;

const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.round(v) : 0);
const details = (v: unknown) => (v && typeof v === "object" ? (v as Raw) : {});

/** OpenAI chat/completions/embeddings, OpenAI Responses, Anthropic Messages, and the OpenAI-compatible variants. */
export function normalizeUsage(raw: unknown): Usage | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const u = raw as Raw;
  if ("prompt_tokens" in u) {
    const cached = n(details(u.prompt_tokens_details).cached_tokens) || n(u.prompt_cache_hit_tokens);
    return { input_tokens: n(u.prompt_tokens), output_tokens: n(u.completion_tokens), cached_input_tokens: cached };
  }
  if ("cache_read_input_tokens" in u || "cache_creation_input_tokens" in u) {
    const read = n(u.cache_read_input_tokens);
    const written = n(u.cache_creation_input_tokens);
    return {
      input_tokens: n(u.input_tokens) + read + written,
      output_tokens: n(u.output_tokens),
      cached_input_tokens: read,
      cache_write_tokens: written,
    };
  }
  if ("input_tokens" in u || "output_tokens" in u) {
    return {
      input_tokens: n(u.input_tokens),
      output_tokens: n(u.output_tokens),
      cached_input_tokens: n(details(u.input_tokens_details).cached_tokens),
    };
  }
  return undefined;
}

/** A cost the provider put in its usage (OpenRouter's `usage.cost`), in USD. */
export function reportedCost(raw: unknown): number | undefined {
  const cost = raw && typeof raw === "object" ? (raw as Raw).cost : undefined;
  return typeof cost === "number" && Number.isFinite(cost) && cost >= 0 ? cost : undefined;
}
