// Provider usage shapes → WatchLLM's (cached tokens counted inside input_tokens, fractional counts rounded): the shared
// provider module (contract/providers.ts, copied in by `npm run gen:contract`), the same the Worker's ways in use.
import { normalizeUsage } from "./providers.gen.ts";
import type { Usage } from "./types.ts";

/** OpenAI chat/completions and responses, DeepSeek, Anthropic, Gemini, or WatchLLM's own shape; else undefined. */
export const toUsage: (raw: unknown) => Usage | undefined = normalizeUsage;
