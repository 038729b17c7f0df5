// Which LLM call a request is: the operation (from the end of the URL path) and the provider (from the host; for a
// proxy or a local server, from the model's name), so calls through 127.0.0.1 are still priced as the model's maker's.

/** The model-call endpoints that are recorded: OpenAI-style, Anthropic's messages, Gemini's generate/embed. */
export function operationOf(path: string): string | undefined {
  const m = /\/(chat\/completions|completions|responses|embeddings)$|\/v1\/(messages)$|:(\w+Content)$/.exec(path);
  return m ? (m[1] ?? m[2] ?? m[3])!.replace("/", ".") : undefined;
}

/** API hosts, each named by the provider it serves (`googleapis` and `x.ai` aside). */
const HOST = /(openai|anthropic|mistral|deepseek|groq|openrouter|together|fireworks)\.|(googleapis)|(x\.ai)/;
/** Model names' prefixes, one group per maker in MAKERS' order. */
const MODEL =
  /^(?:(gpt|o\d|chatgpt|text-embedding|davinci|babbage|dall-e|whisper|tts|omni-moderation|codex)|(claude)|(gemini|gemma)|(mistral|mixtral|codestral|ministral|pixtral|magistral|devstral)|(deepseek)|(grok)|(command)|(llama|meta-llama))/;
const MAKERS = ["openai", "anthropic", "google", "mistral", "deepseek", "xai", "cohere", "meta"];

/** The provider for a call to `host` with `model`: a known API host, else the maker the model's name implies. */
export function providerOf(host: string, model: string | undefined): string | undefined {
  const h = HOST.exec(host);
  if (h) return h[1] ?? (h[2] ? "google" : "xai");
  const m = MODEL.exec(model?.toLowerCase().split("/").pop() ?? "");
  return m ? MAKERS[m.slice(1).findIndex(Boolean)] : undefined;
}
