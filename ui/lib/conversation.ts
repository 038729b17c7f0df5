// Inputs and outputs as a conversation: the message shapes every way in stores (OpenAI chat and Responses, Anthropic
// content blocks, OpenTelemetry GenAI parts, OpenInference, Langfuse, Vercel AI SDK prompts) read into one list of
// turns. Anything else gives null, and the inspector shows JSON.

export type Part =
  | { kind: "text"; text: string }
  | { kind: "tool_call"; name: string; args: unknown; id?: string }
  | { kind: "tool_result"; content: unknown; id?: string; name?: string }
  | { kind: "image"; label: string }
  | { kind: "data"; label: string; value: unknown };

export type Turn = { role: string; parts: Part[]; name?: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** A JSON string parsed when it is JSON (tool arguments arrive as text), else left as it is. */
function parsedArgs(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function imageLabel(p: Obj): string {
  const url = str((p.image_url as Obj | undefined)?.url) ?? str(p.image_url) ?? str(p.url) ?? str(p.uri);
  const media =
    str(p.mime_type) ?? str(p.mediaType) ?? str(p.media_type) ?? str((p.source as Obj | undefined)?.media_type);
  if (url && !url.startsWith("data:")) return `image ${url.slice(0, 120)}`;
  return `image${media ? ` (${media})` : ""}`;
}

/** One content part of any of the shapes, or undefined when it is not one. */
function partOf(p: unknown): Part | undefined {
  if (typeof p === "string") return { kind: "text", text: p };
  if (!isObj(p)) return undefined;
  const type = str(p.type) ?? "";
  const text = str(p.text) ?? (type === "text" ? str(p.content) : undefined);
  if (text !== undefined && /^(text|input_text|output_text|)$/.test(type)) return { kind: "text", text };
  if (type === "thinking" || type === "reasoning") {
    const thought = str(p.thinking) ?? str(p.text) ?? str(p.content);
    if (thought !== undefined) return { kind: "text", text: `(thinking) ${thought}` };
  }
  if (type === "refusal" && str(p.refusal)) return { kind: "text", text: `(refusal) ${p.refusal}` };
  if (/image/.test(type) || (type === "file" && /^image\//.test(str(p.mediaType) ?? "")))
    return { kind: "image", label: imageLabel(p) };
  if ((type === "uri" || type === "blob") && str(p.modality) === "image")
    return { kind: "image", label: imageLabel(p) };
  if (type === "tool_use" || type === "tool_call" || type === "tool-call" || type === "function_call") {
    const name = str(p.name) ?? str(p.toolName) ?? "tool";
    const id = str(p.id) ?? str(p.toolCallId) ?? str(p.call_id);
    return { kind: "tool_call", name, args: parsedArgs(p.input ?? p.arguments ?? p.args), ...(id && { id }) };
  }
  if (
    type === "tool_result" ||
    type === "tool_call_response" ||
    type === "tool-result" ||
    type === "function_call_output"
  ) {
    const id = str(p.tool_use_id) ?? str(p.id) ?? str(p.toolCallId) ?? str(p.call_id);
    const name = str(p.toolName);
    const content = p.content ?? p.response ?? p.result ?? p.output;
    return { kind: "tool_result", content: parsedArgs(content), ...(id && { id }), ...(name && { name }) };
  }
  if (type) return { kind: "data", label: type, value: p };
  return undefined;
}

/** OpenAI-style tool calls (`tool_calls` on a message; Vercel's `toolCalls`). */
function toolCalls(list: unknown): Part[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((c): Part[] => {
    if (!isObj(c)) return [];
    const fn = isObj(c.function) ? c.function : c;
    const name = str(fn.name) ?? str(c.toolName) ?? "tool";
    const id = str(c.id) ?? str(c.toolCallId);
    return [{ kind: "tool_call", name, args: parsedArgs(fn.arguments ?? c.input ?? c.args), ...(id && { id }) }];
  });
}

function contentParts(content: unknown): Part[] | undefined {
  if (content === undefined || content === null) return [];
  if (typeof content === "string") return [{ kind: "text", text: content }];
  const list = Array.isArray(content) ? content : [content];
  const parts = list.map(partOf);
  return parts.every((p) => p !== undefined) ? (parts as Part[]) : undefined;
}

/** One message of any shape as a turn, or undefined. */
function turnOf(m: unknown, defaultRole: string): Turn | undefined {
  if (!isObj(m)) return undefined;
  // OpenInference's flattened messages keep their fields under `message`.
  if (isObj(m.message) && !m.role) return turnOf(m.message, defaultRole);
  const type = str(m.type);
  // Responses API items that are not messages: tool calls and their outputs.
  if (!m.role && type && type !== "message") {
    const part = partOf(m);
    if (!part) return undefined;
    return { role: part.kind === "tool_result" ? "tool" : "assistant", parts: [part] };
  }
  const role = str(m.role) ?? (type === "message" ? defaultRole : undefined);
  if (!role) return undefined;
  const body = m.parts ?? m.content;
  const parts = contentParts(body);
  if (!parts) return undefined;
  parts.push(...toolCalls(m.tool_calls ?? m.toolCalls));
  if (role === "tool" && str(m.tool_call_id) && parts.every((p) => p.kind === "text"))
    return {
      role,
      parts: [
        {
          kind: "tool_result",
          id: str(m.tool_call_id),
          content: parsedArgs(parts.map((p) => (p as { text: string }).text).join("\n")),
        },
      ],
    };
  const name = str(m.name);
  return { role, parts, ...(name && { name }) };
}

/**
 * The conversation in `value`, or null when it is not one. `defaultRole` names a bare string or a role-less answer
 * (`user` for inputs, `assistant` for outputs).
 */
export function conversationOf(value: unknown, defaultRole: "user" | "assistant"): Turn[] | null {
  if (typeof value === "string") return value ? [{ role: defaultRole, parts: [{ kind: "text", text: value }] }] : null;
  if (isObj(value)) {
    // Vercel AI SDK prompts ({ system, prompt } or { system, messages }), Langfuse/LangChain wrappers ({ messages }).
    if (
      Array.isArray(value.messages) ||
      typeof value.prompt === "string" ||
      (typeof value.system === "string" && !value.role)
    ) {
      const system = str(value.system);
      const rest = Array.isArray(value.messages) ? value.messages : value.prompt !== undefined ? [value.prompt] : [];
      const turns = conversationOf(rest, defaultRole) ?? (rest.length ? null : []);
      if (!turns) return null;
      return system ? [{ role: "system", parts: [{ kind: "text", text: system }] }, ...turns] : turns;
    }
    // Vercel's generated answer: { text, tool_calls }; OpenAI's completion choices.
    if (!value.role && (typeof value.text === "string" || Array.isArray(value.tool_calls)) && !value.type) {
      const parts: Part[] = [
        ...(str(value.text) ? [{ kind: "text" as const, text: value.text as string }] : []),
        ...toolCalls(value.tool_calls),
      ];
      return parts.length ? [{ role: "assistant", parts }] : null;
    }
    if (Array.isArray(value.choices))
      return conversationOf(
        value.choices.map((c) => (isObj(c) ? (c.message ?? c.text) : c)),
        "assistant",
      );
    const turn = turnOf(value, defaultRole);
    return turn ? [turn] : null;
  }
  // A list of plain strings (embedding inputs, batches) is data, not a conversation.
  if (!Array.isArray(value) || !value.some(isObj)) return null;
  const turns: Turn[] = [];
  for (const item of value) {
    const turn =
      typeof item === "string"
        ? { role: defaultRole, parts: [{ kind: "text" as const, text: item }] }
        : turnOf(item, defaultRole);
    if (!turn) return null;
    turns.push(turn);
  }
  return turns;
}
