// Generated from contract/providers.ts by `npm run gen:contract`; do not edit.
// What WatchLLM knows of LLM providers, once: their ids (the price table's names) and aliases, which API host and which
// model names belong to which, and how each reports token usage. Zero dependencies: the Worker imports it (gateway,
// OTLP, Langfuse, pricing, the wire event's usage and provider), `npm run gen:contract` copies it into the TypeScript SDK (sdk/js/src/providers.gen.ts) and
// writes its tables for the Python SDK (sdk/python/src/watchllm/_provider_table.py); test/repo/generated.test.ts keeps
// both copies fresh.

/** API hosts (the domain or any subdomain of it) and the provider each serves. */
export const PROVIDER_HOSTS: ReadonlyArray<readonly [domain: string, provider: string]> = [
  ["azure.com", "azure"],
  ["openai.com", "openai"],
  ["openrouter.ai", "openrouter"],
  ["groq.com", "groq"],
  ["together.xyz", "together"],
  ["together.ai", "together"],
  ["fireworks.ai", "fireworks"],
  ["mistral.ai", "mistral"],
  ["deepseek.com", "deepseek"],
  ["x.ai", "x-ai"],
  ["perplexity.ai", "perplexity"],
  ["cerebras.ai", "cerebras"],
  ["googleapis.com", "google"],
  ["anthropic.com", "anthropic"],
  ["novita.ai", "novita"],
  ["moonshot.ai", "moonshotai"],
  ["moonshot.cn", "moonshotai"],
  ["z.ai", "zai"],
  ["bigmodel.cn", "zai"],
  ["cohere.com", "cohere"],
  ["cohere.ai", "cohere"],
];

/** Model-name prefixes and the maker they imply (for a call through a proxy or a local server, or an unknown name). */
export const MODEL_PREFIXES: ReadonlyArray<readonly [prefixes: readonly string[], provider: string]> = [
  [
    [
      "gpt",
      "o1",
      "o3",
      "o4",
      "chatgpt",
      "text-embedding",
      "davinci",
      "babbage",
      "dall-e",
      "whisper",
      "tts",
      "omni-moderation",
      "codex",
    ],
    "openai",
  ],
  [["claude"], "anthropic"],
  [["gemini", "gemma", "imagen", "veo"], "google"],
  [["mistral", "mixtral", "codestral", "ministral", "pixtral", "magistral", "devstral", "open-mistral"], "mistral"],
  [["deepseek"], "deepseek"],
  [["grok"], "x-ai"],
  [["command", "embed-"], "cohere"],
  [["sonar", "r1-1776"], "perplexity"],
  [["kimi", "moonshot"], "moonshotai"],
  [["glm"], "zai"],
  [["voyage"], "voyageai"],
];

/** Other names of providers (OTel's `gen_ai.system` values, SDK and router namespaces) → the price table's ids. */
export const PROVIDER_ALIASES: Readonly<Record<string, string>> = {
  amazon: "aws",
  "amazon-bedrock": "aws",
  bedrock: "aws",
  gcp: "google",
  vertex: "google",
  vertexai: "google",
  vertex_ai: "google",
  gemini: "google",
  "google-vertex": "google",
  az: "azure",
  azure_openai: "azure",
  mistral_ai: "mistral",
  mistralai: "mistral",
  x_ai: "x-ai",
  xai: "x-ai",
  grok: "x-ai",
  togetherai: "together",
  together_ai: "together",
  fireworks_ai: "fireworks",
  moonshot: "moonshotai",
  "z-ai": "zai",
  zhipuai: "zai",
};

/** A provider's name as the price table knows it: lowercased, first dotted part, aliases resolved; null when absent. */
export function normalizeProvider(value: string | null | undefined): string | null {
  const head = (value ?? "").trim().toLowerCase().split(/[./]/)[0] ?? "";
  return (PROVIDER_ALIASES[head] ?? head).slice(0, 64) || null;
}

/** The provider of an API host (`api.openai.com` → openai), if it is a known one. */
export function providerOfHost(host: string): string | undefined {
  const h = host.toLowerCase();
  return PROVIDER_HOSTS.find(([domain]) => h === domain || h.endsWith(`.${domain}`))?.[1];
}

/** The maker a model's name implies (`gpt-4o` → openai; `anthropic/claude-…` by its namespace), if any. */
export function impliedProvider(model: string | null | undefined): string | undefined {
  const name = (model ?? "").toLowerCase();
  const slash = name.indexOf("/");
  if (slash > 0) {
    const namespace = normalizeProvider(name.slice(0, slash));
    if (namespace && MODEL_PREFIXES.some(([, p]) => p === namespace)) return namespace;
  }
  const base = name.slice(slash + 1);
  return MODEL_PREFIXES.find(([prefixes]) => prefixes.some((p) => base.startsWith(p)))?.[1];
}

/** The provider of a call to `host` with `model`: a known API host, else the maker the model's name implies (so a call
 * through a proxy or 127.0.0.1 is still priced as the model's maker's). */
export const providerOfCall = (host: string, model: string | null | undefined): string | undefined =>
  providerOfHost(host) ?? impliedProvider(model);

/** Where each provider's usage keeps its counts (the names the normalisation below reads; Python reads the same). */
export const USAGE_FIELDS = {
  /** OpenAI chat/completions/embeddings and the OpenAI-compatible providers; DeepSeek adds prompt_cache_hit_tokens. */
  openai: {
    input: "prompt_tokens",
    output: "completion_tokens",
    details: "prompt_tokens_details",
    cached: "cached_tokens",
    cacheHit: "prompt_cache_hit_tokens",
  },
  /** Anthropic Messages: input_tokens exclude cache reads and writes. */
  anthropic: { read: "cache_read_input_tokens", written: "cache_creation_input_tokens" },
  /** OpenAI Responses (and Anthropic without caching, and WatchLLM's own shape). */
  responses: {
    input: "input_tokens",
    output: "output_tokens",
    details: "input_tokens_details",
    cached: "cached_tokens",
  },
  /** Gemini: promptTokenCount includes the cached content's tokens. */
  gemini: { input: "promptTokenCount", output: "candidatesTokenCount", cached: "cachedContentTokenCount" },
} as const;

/** Token usage as WatchLLM stores it: cached reads and cache writes counted inside input_tokens (OpenAI's convention). */
export type NormalizedUsage = {
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cache_write_tokens?: number;
};

type Raw = Record<string, unknown>;
/** A count: a finite non-negative number, rounded (some providers report fractions); anything else is 0. */
export const tokenCount = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.round(v) : 0);
const obj = (v: unknown): Raw => (v && typeof v === "object" ? (v as Raw) : {});

/**
 * Any provider's usage (OpenAI chat/completions/embeddings and compatible, DeepSeek's cache hits, OpenAI Responses,
 * Anthropic Messages, Gemini, or WatchLLM's own shape) as WatchLLM's; undefined when it is none of these. The field
 * names are USAGE_FIELDS' (written out: the SDK's bundle stays small; test/repo/providers.test.ts holds them equal).
 */
export function normalizeUsage(raw: unknown): NormalizedUsage | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const u = raw as Raw;
  if ("prompt_tokens" in u)
    return {
      input_tokens: tokenCount(u.prompt_tokens),
      output_tokens: tokenCount(u.completion_tokens),
      cached_input_tokens:
        tokenCount(obj(u.prompt_tokens_details).cached_tokens) || tokenCount(u.prompt_cache_hit_tokens),
    };
  if ("cache_read_input_tokens" in u || "cache_creation_input_tokens" in u) {
    const read = tokenCount(u.cache_read_input_tokens);
    const written = tokenCount(u.cache_creation_input_tokens);
    return {
      input_tokens: tokenCount(u.input_tokens) + read + written,
      output_tokens: tokenCount(u.output_tokens),
      cached_input_tokens: read,
      cache_write_tokens: written,
    };
  }
  if ("input_tokens" in u || "output_tokens" in u) {
    const usage: NormalizedUsage = {
      input_tokens: tokenCount(u.input_tokens),
      output_tokens: tokenCount(u.output_tokens),
      cached_input_tokens: tokenCount(u.cached_input_tokens ?? obj(u.input_tokens_details).cached_tokens),
    };
    if (u.cache_write_tokens !== undefined) usage.cache_write_tokens = tokenCount(u.cache_write_tokens);
    return usage;
  }
  if ("promptTokenCount" in u)
    return {
      input_tokens: tokenCount(u.promptTokenCount),
      output_tokens: tokenCount(u.candidatesTokenCount),
      cached_input_tokens: tokenCount(u.cachedContentTokenCount),
    };
  return undefined;
}
