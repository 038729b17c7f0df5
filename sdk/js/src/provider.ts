// Which LLM call a request is: the operation, from the end of the URL path. (Which provider: ingest names it from the
// API host the SDK sends, with the shared provider module.)

/** The model-call endpoints that are recorded: OpenAI-style, Anthropic's messages, Gemini's generate/embed. */
export function operationOf(path: string): string | undefined {
  const m = /\/(chat\/completions|completions|responses|embeddings)$|\/v1\/(messages)$|:(\w+Content)$/.exec(path);
  return m?.slice(1).find(Boolean)?.replace("/", "."); // the group that matched
}
