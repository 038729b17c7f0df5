// Chat messages as the gateway and the SDK wrappers store them (OpenAI's `{ role, content, tool_calls }`, tool results
// as `{ role: "tool", tool_call_id, content }`), made from the OTel GenAI convention's `parts` messages and from the
// Vercel AI SDK's `ai.prompt.messages` / `ai.response.*`, so one call reads the same whichever way it came in.
// Anything that is not recognisably such a message list is returned as it came.

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A message's content, normalised: text, a tool call the model asked for, a tool's answer, or any other part. */
type Part =
  | { kind: "text"; text: string }
  | { kind: "call"; id: unknown; name: unknown; arguments: unknown }
  | { kind: "result"; id: unknown; response: unknown }
  | { kind: "other"; part: unknown };

/** OpenAI's tool-call arguments and tool results are JSON text. */
function asText(value: unknown): unknown {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  try {
    return JSON.stringify(value);
  } catch {
    return value; // nested too deep to write: kept as it is (the event's own depth check applies)
  }
}

/** OpenAI messages (one or more: each tool result is a message of its own) from a role and its parts. */
function openAiMessages(role: unknown, parts: Part[], extra: Json): Json[] {
  const out: Json[] = [];
  const texts: Part[] = [];
  const calls: Json[] = [];
  for (const part of parts) {
    if (part.kind === "result") out.push({ role: "tool", tool_call_id: part.id, content: asText(part.response) });
    else if (part.kind === "call")
      calls.push({ id: part.id, type: "function", function: { name: part.name, arguments: asText(part.arguments) } });
    else texts.push(part);
  }
  if (!texts.length && !calls.length && out.length) return out;
  const content =
    texts.length === 1 && texts[0]!.kind === "text"
      ? texts[0]!.text
      : texts.length
        ? texts.map((p) => (p.kind === "text" ? { type: "text", text: p.text } : (p as { part: unknown }).part))
        : calls.length
          ? null
          : "";
  return [{ role, ...extra, content, ...(calls.length && { tool_calls: calls }) }, ...out];
}

/** A GenAI convention part (`text`, `tool_call`, `tool_call_response`, or blob/uri/file/reasoning/other). */
function genAiPart(part: unknown): Part {
  if (!isObject(part)) return { kind: "other", part };
  if (part.type === "text" && typeof part.content === "string") return { kind: "text", text: part.content };
  if (part.type === "tool_call") return { kind: "call", id: part.id, name: part.name, arguments: part.arguments };
  if (part.type === "tool_call_response") return { kind: "result", id: part.id, response: part.response };
  return { kind: "other", part };
}

/** A list of GenAI messages (`[{ role, parts: [...] , name?, finish_reason? }]`) as OpenAI messages; else undefined. */
function fromGenAi(value: unknown): Json[] | undefined {
  if (!Array.isArray(value) || !value.length || !value.every((m) => isObject(m) && Array.isArray(m.parts)))
    return undefined;
  return (value as Json[]).flatMap((m) =>
    openAiMessages(m.role, (m.parts as unknown[]).map(genAiPart), typeof m.name === "string" ? { name: m.name } : {}),
  );
}

/** `gen_ai.input.messages` (with `gen_ai.system_instructions`, a list of parts, first) as OpenAI messages. */
export function genAiInput(messages: unknown, system: unknown): unknown {
  const instructions = Array.isArray(system)
    ? openAiMessages("system", system.map(genAiPart), {})
    : system === undefined
      ? []
      : [{ role: "system", content: system }];
  const converted = fromGenAi(messages);
  if (converted) return [...instructions, ...converted];
  if (!instructions.length) return messages;
  return Array.isArray(messages)
    ? [...instructions, ...messages]
    : messages === undefined
      ? instructions
      : [...instructions, messages];
}

/** `gen_ai.output.messages` as OpenAI messages: one choice as its message (as the gateway stores it), several as a list. */
export function genAiOutput(messages: unknown): unknown {
  const converted = fromGenAi(messages);
  if (!converted) return messages;
  return converted.length === 1 ? converted[0] : converted;
}

/** A Vercel AI SDK content part (`text`, `tool-call`, `tool-result`, image/file/reasoning). */
function vercelPart(part: unknown): Part {
  if (!isObject(part)) return { kind: "other", part };
  if (part.type === "text" && typeof part.text === "string") return { kind: "text", text: part.text };
  if (part.type === "tool-call")
    return { kind: "call", id: part.toolCallId, name: part.toolName, arguments: part.input ?? part.args };
  if (part.type === "tool-result") return { kind: "result", id: part.toolCallId, response: part.output ?? part.result };
  return { kind: "other", part };
}

/** `ai.prompt.messages` (`[{ role, content: string | parts }]`) as OpenAI messages; else as it came. */
export function vercelInput(messages: unknown): unknown {
  if (!Array.isArray(messages) || !messages.every((m) => isObject(m) && typeof m.role === "string")) return messages;
  return (messages as Json[]).flatMap((m) =>
    Array.isArray(m.content)
      ? openAiMessages(m.role, m.content.map(vercelPart), {})
      : [{ role: m.role, content: m.content }],
  );
}

/** `ai.response.text` and `ai.response.toolCalls` (`[{ toolCallId, toolName, args | input }]`) as the assistant's message. */
export function vercelOutput(text: unknown, toolCalls: unknown): unknown {
  if (toolCalls !== undefined && !Array.isArray(toolCalls)) return { text, tool_calls: toolCalls };
  if (text !== undefined && typeof text !== "string") return text;
  const parts: Part[] = text ? [{ kind: "text", text }] : [];
  for (const call of toolCalls ?? []) {
    if (isObject(call))
      parts.push({ kind: "call", id: call.toolCallId, name: call.toolName, arguments: call.args ?? call.input });
    else parts.push({ kind: "other", part: call });
  }
  if (!parts.length) return text === undefined ? undefined : { role: "assistant", content: text };
  return openAiMessages("assistant", parts, {})[0];
}
