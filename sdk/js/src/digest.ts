// Reads an LLM API's answer as it arrives — one JSON body, or a stream's server-sent events — into what a model call
// records: the output (streamed text and tool-call arguments assembled), usage, model, time to first token, and
// whether the answer was complete. Knows OpenAI chat/completions/responses/embeddings, Anthropic and Gemini shapes.

// biome-ignore lint/suspicious/noExplicitAny: provider JSON comes in many shapes and is read defensively
type Any = Record<string, any>;

/** The output worth keeping from a whole (non-streamed) answer. */
function wholeOutput(b: Any) {
  if (b.object === "list" && Array.isArray(b.data)) {
    const first = b.data[0]?.embedding;
    // base64 embeddings are float32s: 4 bytes per dimension, 3 bytes per 4 base64 characters
    const dimensions = typeof first === "string" ? (first.replace(/=+$/, "").length * 3) >> 4 : first?.length;
    return { embeddings: b.data.length, dimensions };
  }
  if (b.choices) return b.choices[0]?.message ?? b.choices[0]?.text;
  if (b.object === "response") {
    // A Responses API result: its text, or every output item when it holds more than messages.
    const items: Any[] = b.output;
    if (items.some((i) => i.type !== "message")) return items;
    return items.flatMap((i) => i.content ?? []).reduce((text: string, part: Any) => text + (part.text ?? ""), "");
  }
  return b.content ?? b.candidates?.[0]?.content;
}

/** A string parsed as JSON; anything else, or a string that is not JSON (e.g. arguments still streaming), as it is. */
export const parsed = (value: unknown) => {
  try {
    return typeof value === "string" ? JSON.parse(value) : value;
  } catch {
    return value;
  }
};

/** A content block or output item with its input parsed (an Anthropic tool-use block's streamed JSON). */
const parsedInput = (block: Any): Any => ({ ...block, input: parsed(block.input) });

export function createDigest() {
  let text = "";
  let chat = false;
  /** A whole (non-streamed) answer's output. */
  let whole: unknown;
  /** Tool calls (chat), output items (responses) or content blocks (Anthropic), by index. */
  const slots: Any[] = [];
  const state: {
    _model?: string;
    _usage?: Any;
    _error?: string;
    _firstTokenAt?: number;
    /** The answer said it was complete ([DONE], response.completed, message_stop, a finish reason). */
    _finished?: boolean;
  } = {};
  const token = (s: unknown) => {
    if (typeof s !== "string" || !s) return "";
    state._firstTokenAt ??= Date.now();
    return s;
  };
  /** Appends a streamed piece, if any, to a slot's string field (an Anthropic tool's input starts as `{}`). */
  const append = (slot: Any | undefined, key: string, s: unknown) => {
    const piece = token(s);
    if (slot && piece) slot[key] = (typeof slot[key] === "string" ? slot[key] : "") + piece;
  };
  const common = (c: Any) => {
    // Anthropic's message_start carries a message, the Responses API's events a response.
    const inner = c.message ?? c.response ?? {};
    state._model ??= c.model ?? inner.model ?? c.modelVersion;
    const u = c.usage ?? inner.usage ?? c.usageMetadata;
    if (u) state._usage = { ...state._usage, ...u };
    const e = c.error ?? inner.error ?? (c.type === "error" ? c : undefined);
    if (e) state._error = e.message ?? String(e);
    return c;
  };

  /** One server-sent event's data (a chunk of a stream). */
  function event(c: Any) {
    common(c);
    const choice = c.choices?.[0];
    if (choice?.delta) {
      chat = true;
      text += token(choice.delta.content);
      for (const t of choice.delta.tool_calls ?? []) {
        // biome-ignore lint/suspicious/noAssignInExpressions: the slot, made by the call's first chunk
        const slot = (slots[t.index ?? 0] ??= { id: t.id, type: "function", function: {} });
        slot.id ??= t.id;
        append(slot.function, "name", t.function?.name);
        append(slot.function, "arguments", t.function?.arguments);
      }
    } else text += token(choice?.text);
    if (choice?.finish_reason || c.candidates?.[0]?.finishReason) state._finished = true;
    for (const part of c.candidates?.[0]?.content?.parts ?? []) text += token(part.text);
    text += token(c.delta?.text); // Anthropic's text deltas
    // An output item (Responses) or a content block (Anthropic) starts or ends: its slot, by index.
    const at = c.output_index ?? c.index;
    const item = c.item ?? c.content_block;
    if (item) slots[at] = { ...item };
    const slot = slots[at];
    // Anthropic's text and tool input deltas
    append(slot, "text", c.delta?.text);
    append(slot, "input", c.delta?.partial_json);
    if (c.type === "response.output_text.delta") text += token(c.delta);
    if (c.type === "response.function_call_arguments.delta") append(slot, "arguments", c.delta);
    // The end of an answer (its output items arrived before it, each whole in `response.output_item.done`).
    if (/^(response\.(completed|incomplete|failed)|message_stop)$/.test(c.type)) state._finished = true;
  }

  let pending = "";
  return {
    _state: state,
    /**
     * The answer's next piece of text. A stream's server-sent events are read as their lines arrive (each `data:`
     * payload: a JSON chunk, or `[DONE]`); a JSON body is kept until `_end`.
     */
    _read(chunk: string, sse?: boolean) {
      pending += chunk;
      if (!sse) return;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith("data:")) continue;
        const data = line.slice(5).trim();
        try {
          event(JSON.parse(data) as Any);
        } catch {
          // not JSON (or an unexpected shape): nothing to record from it, unless it is the end marker
          if (data === "[DONE]") state._finished = true;
        }
      }
    },
    /** A whole JSON answer has been read. */
    _end() {
      try {
        whole = wholeOutput(common(JSON.parse(pending)));
      } catch {
        // not JSON: recorded without output
      }
    },
    /** The output received so far (all of it once the answer is complete). */
    _output(): unknown {
      const calls = slots.filter(Boolean).map(parsedInput);
      if (chat) return { role: "assistant", content: text || null, ...(calls.length && { tool_calls: calls }) };
      // A whole answer streamed nothing: its output.
      return calls.some((s) => s.type !== "message" && s.type !== "text") ? calls : text || whole;
    },
  };
}
