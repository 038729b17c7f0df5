// A local OpenAI-compatible upstream for the real `openai` client: chat completions (plain, streamed with tool-call
// deltas, structured output), legacy completions, responses (plain, streamed, structured), embeddings (float and
// base64), errors, and a slow stream to abort. Model names steer it: `broken` answers 404, `overloaded` 503 (retry after 5 ms), `slow` streams for seconds.
import type { ServerResponse } from "node:http";

// biome-ignore lint/suspicious/noExplicitAny: request bodies are whatever the client under test sends
type Any = Record<string, any>;

export const USAGE = {
  prompt_tokens: 12,
  completion_tokens: 3,
  total_tokens: 15,
  prompt_tokens_details: { cached_tokens: 4 },
};
const RESPONSE_USAGE = {
  input_tokens: 12,
  output_tokens: 3,
  total_tokens: 15,
  input_tokens_details: { cached_tokens: 4 },
  output_tokens_details: { reasoning_tokens: 0 },
};
/** What the upstream answers with for a structured-output request. */
export const STRUCTURED = { city: "Paris", temperature: 21 };
export const TOOL_ARGUMENTS = '{"city":"Paris"}';
/** The answered model: the dated snapshot of the requested one, as OpenAI answers. */
export const snapshot = (model: string) => `${model}-2024-07-18`;

const json = (res: ServerResponse, status: number, body: unknown) =>
  void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

type SSE = { event?: string; data: unknown };

/** Writes server-sent events one by one, `pauseMs` apart, stopping when the client goes away. */
async function sse(res: ServerResponse, events: SSE[], pauseMs = 0) {
  res.writeHead(200, { "content-type": "text/event-stream" });
  let gone = false;
  res.on("close", () => {
    gone = true;
  });
  for (const e of events) {
    if (gone) return;
    res.write(
      `${e.event ? `event: ${e.event}\n` : ""}data: ${typeof e.data === "string" ? e.data : JSON.stringify(e.data)}\n\n`,
    );
    if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
  }
  res.end();
}

/** Splits a string into pieces of `size` characters (how tokens and argument fragments arrive). */
const pieces = (s: string, size: number) =>
  Array.from({ length: Math.ceil(s.length / size) }, (_, i) => s.slice(i * size, i * size + size));

/** What the assistant does next: call the first tool, answer in JSON, or say hello. */
function chatTurn(body: Any) {
  const last = body.messages?.at(-1);
  if (body.tools?.length && last?.role !== "tool") return { tool: body.tools[0].function.name as string };
  if (body.response_format?.type === "json_schema") return { text: JSON.stringify(STRUCTURED) };
  return { text: last?.role === "tool" ? `It is sunny: ${last.content}` : "Hello there" };
}

function chat(body: Any, res: ServerResponse) {
  const model = snapshot(body.model);
  const turn = chatTurn(body);
  const toolCall = { id: "call_1", type: "function", function: { name: turn.tool, arguments: TOOL_ARGUMENTS } };
  if (!body.stream) {
    const message = turn.tool
      ? { role: "assistant", content: null, tool_calls: [toolCall], refusal: null }
      : { role: "assistant", content: turn.text, refusal: null };
    return json(res, 200, {
      id: "chatcmpl-1",
      object: "chat.completion",
      created: 1,
      model,
      choices: [{ index: 0, message, finish_reason: turn.tool ? "tool_calls" : "stop", logprobs: null }],
      usage: USAGE,
    });
  }
  const chunk = (delta: Any, finish: string | null = null) => ({
    data: {
      id: "chatcmpl-1",
      object: "chat.completion.chunk",
      created: 1,
      model,
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
    },
  });
  const slow = body.model === "slow";
  const events: SSE[] = [chunk({ role: "assistant", content: "" })];
  if (turn.tool) {
    events.push(
      chunk({
        tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: turn.tool, arguments: "" } }],
      }),
    );
    for (const p of pieces(TOOL_ARGUMENTS, 4))
      events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: p } }] }));
  } else {
    const text = slow ? "tick ".repeat(400) : (turn.text ?? "");
    for (const p of pieces(text, slow ? 5 : 4)) events.push(chunk({ content: p }));
  }
  events.push(chunk({}, turn.tool ? "tool_calls" : "stop"));
  if (body.stream_options?.include_usage)
    events.push({
      data: { id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model, choices: [], usage: USAGE },
    });
  events.push({ data: "[DONE]" });
  return sse(res, events, slow ? 10 : 0);
}

function completions(body: Any, res: ServerResponse) {
  json(res, 200, {
    id: "cmpl-1",
    object: "text_completion",
    created: 1,
    model: snapshot(body.model),
    choices: [{ index: 0, text: "Hello there", finish_reason: "stop", logprobs: null }],
    usage: USAGE,
  });
}

function responses(body: Any, res: ServerResponse) {
  const model = snapshot(body.model);
  const structured = body.text?.format?.type === "json_schema";
  const text = body.model === "slow" ? "tick ".repeat(400) : structured ? JSON.stringify(STRUCTURED) : "Hello there";
  const message = (t: string, status = "completed") => ({
    type: "message",
    id: "msg_1",
    status,
    role: "assistant",
    content: t || status === "completed" ? [{ type: "output_text", text: t, annotations: [], logprobs: [] }] : [],
  });
  const call = {
    type: "function_call",
    id: "fc_1",
    call_id: "call_1",
    name: body.tools?.[0]?.name,
    arguments: TOOL_ARGUMENTS,
    status: "completed",
  };
  const output = body.tools?.length ? [call] : [message(text)];
  const response = (status: string, out: unknown[], usage: unknown = null) => ({
    id: "resp_1",
    object: "response",
    created_at: 1,
    status,
    model,
    output: out,
    usage,
    error: null,
    incomplete_details: null,
    instructions: null,
    metadata: {},
    parallel_tool_calls: true,
    temperature: 1,
    tool_choice: "auto",
    tools: body.tools ?? [],
    top_p: 1,
    text: body.text ?? { format: { type: "text" } },
  });
  if (!body.stream) return json(res, 200, response("completed", output, RESPONSE_USAGE));
  let seq = 0;
  const ev = (type: string, data: Any) => ({ event: type, data: { type, sequence_number: seq++, ...data } });
  const events = [
    ev("response.created", { response: response("in_progress", []) }),
    ev("response.in_progress", { response: response("in_progress", []) }),
  ];
  if (body.tools?.length) {
    events.push(
      ev("response.output_item.added", { output_index: 0, item: { ...call, arguments: "", status: "in_progress" } }),
    );
    for (const p of pieces(TOOL_ARGUMENTS, 4))
      events.push(ev("response.function_call_arguments.delta", { item_id: "fc_1", output_index: 0, delta: p }));
    events.push(
      ev("response.function_call_arguments.done", { item_id: "fc_1", output_index: 0, arguments: TOOL_ARGUMENTS }),
    );
    events.push(ev("response.output_item.done", { output_index: 0, item: call }));
  } else {
    const at = { item_id: "msg_1", output_index: 0, content_index: 0 };
    events.push(ev("response.output_item.added", { output_index: 0, item: message("", "in_progress") }));
    events.push(ev("response.content_part.added", { ...at, part: { type: "output_text", text: "", annotations: [] } }));
    for (const p of pieces(text, 4)) events.push(ev("response.output_text.delta", { ...at, delta: p, logprobs: [] }));
    events.push(ev("response.output_text.done", { ...at, text, logprobs: [] }));
    events.push(ev("response.content_part.done", { ...at, part: { type: "output_text", text, annotations: [] } }));
    events.push(ev("response.output_item.done", { output_index: 0, item: message(text) }));
  }
  events.push(ev("response.completed", { response: response("completed", output, RESPONSE_USAGE) }));
  return sse(res, events, body.model === "slow" ? 10 : 0);
}

function embeddings(body: Any, res: ServerResponse) {
  const inputs: unknown[] = Array.isArray(body.input) ? body.input : [body.input];
  const vector = [0.25, 0.5, 0.75];
  const base64 = Buffer.from(new Float32Array(vector).buffer).toString("base64");
  json(res, 200, {
    object: "list",
    model: body.model,
    data: inputs.map((_, index) => ({
      object: "embedding",
      index,
      embedding: body.encoding_format === "base64" ? base64 : vector,
    })),
    usage: { prompt_tokens: 5, total_tokens: 5 },
  });
}

/** Not a model call: what observing must leave alone. */
function batches(body: Any, res: ServerResponse) {
  json(res, 200, { id: "batch_1", object: "batch", endpoint: body.endpoint, status: "validating" });
}

/** Answers `/v1/<endpoint>` like OpenAI; false when the path is not one of its endpoints. */
export function serveOpenAI(path: string, raw: string, res: ServerResponse): boolean {
  const handler = {
    "/v1/chat/completions": chat,
    "/v1/completions": completions,
    "/v1/responses": responses,
    "/v1/embeddings": embeddings,
    "/v1/batches": batches,
  }[path];
  if (!handler) return false;
  const body = JSON.parse(raw) as Any;
  if (body.model === "broken")
    json(res, 404, {
      error: { message: "The model `broken` does not exist", type: "invalid_request_error", code: "model_not_found" },
    });
  else if (body.model === "overloaded")
    res
      .writeHead(503, { "content-type": "application/json", "retry-after-ms": "5" })
      .end(JSON.stringify({ error: { message: "The server is overloaded", type: "server_error" } }));
  else void handler(body, res);
  return true;
}
