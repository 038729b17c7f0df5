// `watchllm/usage`: provider usage shapes → WatchLLM's (cached tokens counted inside input_tokens, fractional counts
// rounded), for code that wants the figures itself. The SDK doesn't need it: it sends a provider's usage as given and
// ingest maps it with the same shared provider module (contract/providers.ts, copied in by `npm run gen:contract`).
import { normalizeUsage } from "./providers.gen.ts";
import type { Usage } from "./types.ts";

/** OpenAI chat/completions and responses, DeepSeek, Anthropic, Gemini, or WatchLLM's own shape; else undefined. */
export const toUsage: (raw: unknown) => Usage | undefined = normalizeUsage;
