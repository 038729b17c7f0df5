// OpenInference (Arize/Phoenix): `openinference.span.kind`, `llm.*` with flattened `llm.input_messages.N.message.*`,
// `input.value`/`output.value`, `embedding.*`, `tool.*`, and the generic `user.id`, `session.id`, `tag.tags`, `metadata`.
import { parseJson } from "../attributes.ts";
import { type Convention, type EventType, type SpanAttrs, usageFrom } from "./convention.ts";

const KIND_TYPES: Record<string, EventType> = { LLM: "model_response", EMBEDDING: "model_response", TOOL: "tool_call" };

type Flat = Record<string, unknown>;

/** `{ message: { role, content, contents, tool_calls } }` (as flattened attributes) → `{ role, content, tool_calls }`. */
function message(entry: unknown): unknown {
  const m = ((entry as Flat | undefined)?.message ?? entry) as Flat | undefined;
  if (!m || typeof m !== "object") return entry;
  const out: Flat = { ...m };
  if (Array.isArray(m.contents)) {
    out.content = m.contents.map((c) => (c as Flat)?.message_content ?? c);
    delete out.contents;
  }
  if (Array.isArray(m.tool_calls)) {
    out.tool_calls = m.tool_calls.map((t) => {
      const call = ((t as Flat)?.tool_call ?? t) as Flat;
      const fn = (call.function ?? {}) as Flat;
      return { id: call.id, name: fn.name, arguments: parseJson(fn.arguments) };
    });
  }
  return out;
}

function messages(span: SpanAttrs, prefix: string): unknown[] | undefined {
  const value = span.nested(prefix);
  return Array.isArray(value) ? value.map(message) : undefined;
}

/** The embedded texts (the vectors are read too, and left out: they say nothing a person reads). */
function embeddedTexts(span: SpanAttrs): unknown[] | undefined {
  const value = span.nested("embedding.embeddings");
  return Array.isArray(value) ? value.map((e) => ((e as Flat)?.embedding as Flat | undefined)?.text) : undefined;
}

export const openInference: Convention = {
  name: "openinference",
  type: (span) => {
    const kind = span.get("openinference.span.kind");
    return typeof kind === "string" ? KIND_TYPES[kind.toUpperCase()] : undefined;
  },
  model: ["llm.response.model_name", "llm.model_name", "llm.request.model_name", "embedding.model_name"],
  provider: ["llm.provider", "llm.system"],
  user: ["user.id"],
  session: ["session.id"],
  tags: ["tag.tags"],
  usage: (span) =>
    usageFrom(span, {
      input: ["llm.token_count.prompt"],
      output: ["llm.token_count.completion"],
      cacheRead: ["llm.token_count.prompt_details.cache_read"],
      cacheWrite: ["llm.token_count.prompt_details.cache_write"],
    }),
  cost: (span) => span.number(["llm.cost.total"]),
  input: (span) => messages(span, "llm.input_messages") ?? embeddedTexts(span) ?? parseJson(span.get("input.value")),
  output: (span) => messages(span, "llm.output_messages") ?? parseJson(span.get("output.value")),
  metadata: (span) => {
    const value = parseJson(span.get("metadata"));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  },
};
