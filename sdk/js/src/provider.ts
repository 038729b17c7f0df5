// Which LLM call a request is: the operation (from the end of the URL path) and the provider (from the host; for a
// proxy or a local server, from the model's name), so calls through 127.0.0.1 are still priced as the model's maker's.

/** The model-call endpoints that are recorded: OpenAI-style, Anthropic's messages, Gemini's generate/embed. */
export function operationOf(path: string): string | undefined {
  const m = /\/(chat\/completions|completions|responses|embeddings)$|\/v1\/(messages)$|:(\w+Content)$/.exec(path);
  return m ? (m[1] ?? m[2] ?? m[3])!.replace("/", ".") : undefined;
}

const HOSTS: Array<[string, string]> = [
  ["openai", "openai"],
  ["anthropic", "anthropic"],
  ["googleapis", "google"],
  ["mistral", "mistral"],
  ["deepseek", "deepseek"],
  ["x.ai", "xai"],
  ["groq", "groq"],
  ["openrouter", "openrouter"],
  ["together", "together"],
  ["fireworks", "fireworks"],
];

const MODELS: Array<[RegExp, string]> = [
  [/^(gpt|o\d|chatgpt|text-embedding|davinci|babbage|dall-e|whisper|tts|omni-moderation|codex)/, "openai"],
  [/^claude/, "anthropic"],
  [/^(gemini|gemma)/, "google"],
  [/^(mistral|mixtral|codestral|ministral|pixtral|magistral|devstral)/, "mistral"],
  [/^deepseek/, "deepseek"],
  [/^grok/, "xai"],
  [/^command/, "cohere"],
  [/^(meta-)?llama/, "meta"],
];

/** The provider for a call to `host` with `model`: a known API host, else the maker the model's name implies. */
export function providerOf(host: string, model: string | undefined): string | undefined {
  for (const [part, provider] of HOSTS) if (host.includes(part)) return provider;
  const name = model?.toLowerCase().split("/").pop() ?? "";
  for (const [pattern, provider] of MODELS) if (pattern.test(name)) return provider;
  return undefined;
}
