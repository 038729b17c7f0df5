// Which LLM call a request is: the operation (from the end of the URL path) and the provider (from the host; for a
// proxy or a local server, from the model's name), so calls through 127.0.0.1 are still priced as the model's maker's.
import { impliedProvider, providerOfHost } from "./providers.gen.ts";

/** The model-call endpoints that are recorded: OpenAI-style, Anthropic's messages, Gemini's generate/embed. */
export function operationOf(path: string): string | undefined {
  const m = /\/(chat\/completions|completions|responses|embeddings)$|\/v1\/(messages)$|:(\w+Content)$/.exec(path);
  return m ? (m[1] ?? m[2] ?? m[3])!.replace("/", ".") : undefined;
}

/** The provider for a call to `host` with `model`: a known API host, else the maker the model's name implies (ids as in
 * the price table, from the shared provider module). */
export const providerOf = (host: string, model: string | undefined): string | undefined =>
  providerOfHost(host) ?? impliedProvider(model);
