// What a provider answered, reduced to what the recording keeps: model, output (assistant text and tool calls),
// usage, a reported cost and the error message. Reads whole JSON answers and the event objects of SSE streams of
// OpenAI Chat Completions, OpenAI Responses and Anthropic Messages (and the OpenAI-compatible APIs).
// biome-ignore lint/suspicious/noExplicitAny: provider JSON comes in many shapes and is read defensively
type Json = Record<string, any>;

export type Digest = {
  model?: string;
  output?: unknown;
  usage?: unknown;
  error?: string;
  finishReason?: string;
};

/** The message of a provider's error object (`{error: {message}}`, `{error: "..."}`, `{type: "error", error}`). */
export function errorMessage(json: unknown): string | undefined {
  const error = (json as Json | null)?.error;
  if (typeof error === "string") return error;
  if (error && typeof error === "object" && typeof error.message === "string") return error.message;
  return undefined;
}

/** Digest of a whole (non-streamed) JSON answer. */
export function digestJson(json: unknown): Digest {
  if (!json || typeof json !== "object" || Array.isArray(json)) return {};
  const j = json as Json;
  const model = typeof j.model === "string" ? j.model : undefined;
  const error = errorMessage(j);
  if (error !== undefined) return { model, error };
  if (Array.isArray(j.choices)) {
    const outputs = j.choices.map((c: Json) => c?.message ?? c?.text);
    return {
      model,
      usage: j.usage,
      output: outputs.length === 1 ? outputs[0] : outputs,
      finishReason: j.choices[0]?.finish_reason ?? undefined,
    };
  }
  if (j.object === "response") {
    return { model, usage: j.usage, output: j.output, finishReason: j.status, error: j.error?.message ?? undefined };
  }
  if (j.type === "message")
    return {
      model,
      usage: j.usage,
      output: { role: j.role, content: j.content },
      finishReason: j.stop_reason ?? undefined,
    };
  if (j.object === "list" && Array.isArray(j.data) && j.data[0]?.object === "embedding") {
    return { model, usage: j.usage, output: { embeddings: j.data.length } };
  }
  return { model, usage: j.usage };
}

type ToolCall = { id?: string; type?: string; function: { name: string; arguments: string } };
type Choice = {
  role?: string;
  content: string;
  refusal?: string;
  text: boolean;
  tools: Map<number, ToolCall>;
  finish?: string;
};
type Block = Json & { partial?: string };

/**
 * Choices, tool calls, output items, content parts and blocks are numbered by the upstream; an index past this (or not
 * a small non-negative integer) is not believed, and its event is skipped: no real answer has that many, and the
 * recording's work must stay bounded by the stream's size whatever the numbers say.
 */
export const MAX_STREAM_INDEX = 1_000;
/** The index an event names (`fallback` when it names none); undefined when it is not a believable one. */
const indexOf = (value: unknown, fallback: number) => {
  const n = value === undefined || value === null ? fallback : value;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= MAX_STREAM_INDEX ? n : undefined;
};
/** Entries of a map by index, in index order. */
const inOrder = <T>(map: Map<number, T>) => [...map.entries()].sort(([a], [b]) => a - b).map(([, v]) => v);

/** Assembles a stream's events (the parsed `data:` payloads, in order) into the same digest a whole answer gives. */
export function streamAssembler(maxChars: number) {
  let model: string | undefined;
  let usage: Json | undefined;
  let error: string | undefined;
  let finishReason: string | undefined;
  let kept = 0;
  const room = (text: string) => {
    const take = Math.max(0, Math.min(text.length, maxChars - kept));
    kept += take;
    return take === text.length ? text : text.slice(0, take);
  };
  const mergeUsage = (u: unknown) => {
    if (u && typeof u === "object") usage = { ...usage, ...(u as Json) };
  };
  // OpenAI Chat Completions (and legacy Completions) chunks.
  const choices = new Map<number, Choice>();
  // OpenAI Responses: the final response when it came, else the items assembled from their events.
  let response: Json | undefined;
  const items = new Map<number, Json>();
  const textParts = new WeakMap<Json, Map<number, Json>>();
  // Anthropic Messages.
  let message: Json | undefined;
  const blocks = new Map<number, Block>();

  function chatChunk(chunk: Json) {
    for (const c of chunk.choices as Json[]) {
      const index = indexOf(c?.index, 0);
      if (index === undefined) continue;
      const choice = choices.get(index) ?? { content: "", text: false, tools: new Map<number, ToolCall>() };
      choices.set(index, choice);
      if (typeof c.text === "string") {
        choice.text = true;
        choice.content += room(c.text);
      }
      const delta = c.delta ?? {};
      if (typeof delta.role === "string") choice.role = delta.role;
      if (typeof delta.content === "string") choice.content += room(delta.content);
      if (typeof delta.refusal === "string") choice.refusal = (choice.refusal ?? "") + room(delta.refusal);
      for (const t of (Array.isArray(delta.tool_calls) ? delta.tool_calls : []) as Json[]) {
        const at = indexOf(t?.index, choice.tools.size);
        if (at === undefined) continue;
        const call: ToolCall = choice.tools.get(at) ?? { function: { name: "", arguments: "" } };
        choice.tools.set(at, call);
        if (t.id) call.id = t.id;
        if (t.type) call.type = t.type;
        if (typeof t.function?.name === "string") call.function.name += t.function.name;
        if (typeof t.function?.arguments === "string") call.function.arguments += room(t.function.arguments);
      }
      if (c.finish_reason) choice.finish = c.finish_reason;
    }
  }

  function responsesEvent(e: Json) {
    if (e.response) {
      model = e.response.model ?? model;
      if (e.type === "response.completed" || e.type === "response.incomplete" || e.type === "response.failed") {
        response = e.response;
        mergeUsage(e.response.usage);
        finishReason = e.response.status;
        if (e.response.error?.message) error = e.response.error.message;
      }
      return;
    }
    const at = indexOf(e.output_index, 0);
    if (at === undefined) return;
    if (e.type === "response.output_item.added" || e.type === "response.output_item.done") items.set(at, { ...e.item });
    else if (e.type === "response.output_text.delta") {
      const index = indexOf(e.content_index, 0);
      if (index === undefined) return;
      const item = items.get(at) ?? { type: "message", role: "assistant", content: [] };
      items.set(at, item);
      // A part the item already has is extended in place; new ones are kept by index (a Map: no holes whatever the
      // index) and follow the item's own parts in index order when the recording is read.
      const own = Array.isArray(item.content) ? (item.content as Json[]) : [];
      const parts = textParts.get(item) ?? new Map<number, Json>();
      textParts.set(item, parts);
      const existing = own[index] && typeof own[index] === "object" ? own[index] : undefined;
      const part = existing ?? parts.get(index) ?? { type: "output_text", text: "" };
      if (!existing) parts.set(index, part);
      part.text = (part.text ?? "") + room(String(e.delta ?? ""));
    } else if (e.type === "response.function_call_arguments.delta") {
      const item = items.get(at) ?? { type: "function_call", arguments: "" };
      items.set(at, item);
      item.arguments = (item.arguments ?? "") + room(String(e.delta ?? ""));
    }
  }

  function anthropicEvent(e: Json) {
    if (e.type === "message_start") {
      message = e.message;
      model = e.message?.model ?? model;
      mergeUsage(e.message?.usage);
    } else if (e.type === "content_block_start") {
      const at = indexOf(e.index, 0);
      if (at !== undefined) blocks.set(at, { ...e.content_block });
    } else if (e.type === "content_block_delta") {
      const at = indexOf(e.index, 0);
      if (at === undefined) return;
      const block = blocks.get(at) ?? { type: "text", text: "" };
      blocks.set(at, block);
      const d = e.delta ?? {};
      if (d.type === "text_delta") block.text = (block.text ?? "") + room(String(d.text ?? ""));
      else if (d.type === "input_json_delta")
        block.partial = (block.partial ?? "") + room(String(d.partial_json ?? ""));
      else if (d.type === "thinking_delta") block.thinking = (block.thinking ?? "") + room(String(d.thinking ?? ""));
      else if (d.type === "signature_delta") block.signature = d.signature;
      else if (d.type === "citations_delta") block.citations = [...(block.citations ?? []), d.citation];
    } else if (e.type === "message_delta") {
      finishReason = e.delta?.stop_reason ?? finishReason;
      mergeUsage(e.usage);
    }
  }

  /** Tool input arrives as JSON text in pieces: parsed when complete, kept as text when cut off. */
  function finishBlock(block: Block): Json {
    const { partial, ...rest } = block;
    if (partial === undefined) return rest;
    try {
      return { ...rest, input: JSON.parse(partial) };
    } catch {
      return { ...rest, input: partial };
    }
  }

  function chatOutput() {
    const outputs = inOrder(choices).map((c) => {
      if (c.text && !c.tools.size) return c.content;
      const msg: Json = { role: c.role ?? "assistant", content: c.content || (c.tools.size ? null : "") };
      if (c.refusal !== undefined) msg.refusal = c.refusal;
      if (c.tools.size)
        msg.tool_calls = inOrder(c.tools).map((t) => ({ id: t.id, type: t.type ?? "function", function: t.function }));
      return msg;
    });
    finishReason ??= choices.get(0)?.finish;
    return outputs.length === 1 ? outputs[0] : outputs;
  }

  return {
    /** One parsed `data:` payload. */
    push(e: unknown) {
      if (!e || typeof e !== "object") return;
      const j = e as Json;
      const type = typeof j.type === "string" ? j.type : "";
      if (type === "error" || (j.error && !type)) {
        error = errorMessage(j) ?? (typeof j.message === "string" ? j.message : "stream error");
        return;
      }
      if (Array.isArray(j.choices)) {
        model ??= j.model;
        chatChunk(j);
      } else if (type.startsWith("response.")) responsesEvent(j);
      else if (type.startsWith("message_") || type.startsWith("content_block_")) anthropicEvent(j);
      if (j.usage) mergeUsage(j.usage);
      if (typeof j.model === "string") model ??= j.model;
    },
    result(): Digest {
      let output: unknown;
      if (message || blocks.size) {
        output = {
          role: message?.role ?? "assistant",
          content: inOrder(blocks).map(finishBlock),
        };
      } else if (response) output = response.output;
      else if (items.size)
        output = inOrder(items).map((item) => {
          const parts = textParts.get(item);
          return parts
            ? { ...item, content: [...(Array.isArray(item.content) ? item.content : []), ...inOrder(parts)] }
            : item;
        });
      else if (choices.size) output = chatOutput();
      return { model, output, usage, error, finishReason };
    },
  };
}

/** Splits SSE text into events' `data:` payloads as bytes arrive (lines may straddle chunks); `[DONE]` is skipped. */
export function sseParser(onData: (data: unknown) => void, maxLineChars = 4 * 1024 * 1024) {
  const decoder = new TextDecoder();
  let buffer = "";
  let data: string[] = [];
  let overflow = false;
  const dispatch = () => {
    if (data.length) {
      const text = data.join("\n");
      data = [];
      if (text !== "[DONE]") {
        try {
          onData(JSON.parse(text));
        } catch {
          // not JSON: nothing to record from it
        }
      }
    }
  };
  const line = (l: string) => {
    if (l === "") dispatch();
    else if (l.startsWith("data:")) data.push(l.slice(l.startsWith("data: ") ? 6 : 5));
  };
  // Where the search for the next line end resumes: text before it holds none, so a long line arriving in many
  // small pieces is scanned once, not once per piece.
  let scanned = 0;
  const lines = (final: boolean) => {
    const eol = /\r\n|\r|\n/g;
    for (;;) {
      eol.lastIndex = scanned;
      const found = eol.exec(buffer);
      const nl = found ? found.index : -1;
      if (nl < 0 || (!final && nl === buffer.length - 1 && buffer[nl] === "\r")) {
        scanned = nl < 0 ? buffer.length : nl;
        break;
      }
      line(buffer.slice(0, nl));
      buffer = buffer.slice(nl + found![0].length);
      scanned = 0;
    }
    if (final) {
      if (buffer) line(buffer);
      buffer = "";
      dispatch();
    }
  };
  return {
    write(bytes: Uint8Array) {
      const text = decoder.decode(bytes, { stream: true });
      if (overflow) {
        // Skip the rest of an oversized line.
        const nl = text.search(/\r\n|\r|\n/);
        if (nl < 0) return;
        overflow = false;
        buffer = text.slice(nl + 1);
        scanned = 0;
        lines(false);
      } else if (scanned === buffer.length && !/[\r\n]/.test(text)) {
        // Still inside a line: append without searching (nor flattening) what came before.
        buffer += text;
        scanned = buffer.length;
      } else {
        buffer += text;
        lines(false);
      }
      if (buffer.length > maxLineChars) {
        buffer = "";
        scanned = 0;
        data = [];
        overflow = true;
      }
    },
    end() {
      buffer += decoder.decode();
      if (!overflow) lines(true);
    },
  };
}
