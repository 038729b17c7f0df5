// Provider usage shapes → WatchLLM's: cached tokens are counted inside input_tokens, as OpenAI reports them.
import type { Usage } from "./types.ts";

type Raw = Record<string, unknown> & {
  prompt_tokens_details?: { cached_tokens?: number };
  input_tokens_details?: { cached_tokens?: number };
};
const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);

/** OpenAI chat/completions and responses, Anthropic (whose input_tokens exclude cache reads and writes), Gemini. */
export function toUsage(raw: unknown): Usage | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const u = raw as Raw;
  if ("prompt_tokens" in u)
    return {
      input_tokens: n(u.prompt_tokens),
      output_tokens: n(u.completion_tokens),
      cached_input_tokens: n(u.prompt_tokens_details?.cached_tokens),
    };
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
  // OpenAI responses, Anthropic without caching, and WatchLLM's own shape.
  if ("input_tokens" in u) {
    const usage: Usage = {
      input_tokens: n(u.input_tokens),
      output_tokens: n(u.output_tokens),
      cached_input_tokens: n(u.cached_input_tokens ?? u.input_tokens_details?.cached_tokens),
    };
    if (u.cache_write_tokens !== undefined) usage.cache_write_tokens = n(u.cache_write_tokens);
    return usage;
  }
  if ("promptTokenCount" in u)
    return {
      input_tokens: n(u.promptTokenCount),
      output_tokens: n(u.candidatesTokenCount),
      cached_input_tokens: n(u.cachedContentTokenCount),
    };
  return undefined;
}
