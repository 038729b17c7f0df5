// A local stand-in for the OpenAI and Anthropic APIs (one server, /v1/...): deterministic answers (so a call through
// the gateway and a call made directly can be compared byte for byte), streams with a pause the test releases, a
// stream that runs until the client leaves, and error answers. It logs each request by its provider key, which the
// tests read back through /__fake/requests.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Logged = {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  bodyBytes: number;
  bodySha256: string;
  scenario: string;
  /** For `pause`: whether the test released it (`control`) or the safety timeout did. */
  releasedBy?: "control" | "timeout";
  /** For streams: whether the client went away before the stream ended. */
  clientLeft?: boolean;
};

const CREATED = 1_764_000_000;
/** A pause ends by itself after this, so a broken test fails instead of hanging. */
const PAUSE_LIMIT_MS = 10_000;
/** A `slow` stream gives up after this. */
const SLOW_LIMIT_MS = 20_000;

const credential = (req: IncomingMessage) => String(req.headers.authorization ?? req.headers["x-api-key"] ?? "");

/** A JSON answer with OpenAI's request-id headers (Anthropic's answers pass their own `request-id`). */
function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = { "x-request-id": "req_fake_1", "openai-processing-ms": "5" },
) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function sseHead(res: ServerResponse) {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-request-id": "req_fake_stream",
  });
  res.flushHeaders();
}

const openaiUsage = {
  prompt_tokens: 12,
  completion_tokens: 7,
  total_tokens: 19,
  prompt_tokens_details: { cached_tokens: 4 },
};
const TEXT_PARTS = ["Hello", " from", " the", " fake", " upstream."];

function chatCompletion(model: string, scenario: string) {
  const message =
    scenario === "tools"
      ? {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
          ],
        }
      : { role: "assistant", content: TEXT_PARTS.join("") };
  return {
    id: "chatcmpl-fake-1",
    object: "chat.completion",
    created: CREATED,
    model: `${model}-2024-07-18`,
    choices: [{ index: 0, message, logprobs: null, finish_reason: scenario === "tools" ? "tool_calls" : "stop" }],
    usage: openaiUsage,
  };
}

function chatChunks(model: string, scenario: string, includeUsage: boolean) {
  const base = {
    id: "chatcmpl-fake-1",
    object: "chat.completion.chunk",
    created: CREATED,
    model: `${model}-2024-07-18`,
  };
  const chunk = (delta: object, finish: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const chunks: object[] = [chunk({ role: "assistant", content: "" })];
  if (scenario === "tools") {
    chunks.push(
      chunk({
        tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "get_weather", arguments: "" } }],
      }),
    );
    for (const part of ['{"ci', 'ty":"Par', 'is"}'])
      chunks.push(chunk({ tool_calls: [{ index: 0, function: { arguments: part } }] }));
    chunks.push(
      chunk({
        tool_calls: [{ index: 1, id: "call_2", type: "function", function: { name: "get_time", arguments: "" } }],
      }),
    );
    for (const part of ['{"tz":', '"CET"}'])
      chunks.push(chunk({ tool_calls: [{ index: 1, function: { arguments: part } }] }));
    chunks.push(chunk({}, "tool_calls"));
  } else {
    for (const part of TEXT_PARTS) chunks.push(chunk({ content: part }));
    chunks.push(chunk({}, "stop"));
  }
  if (includeUsage) chunks.push({ ...base, choices: [], usage: openaiUsage });
  return chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).concat("data: [DONE]\n\n");
}

function response(model: string) {
  return {
    id: "resp_fake_1",
    object: "response",
    created_at: CREATED,
    status: "completed",
    model: `${model}-2024-07-18`,
    output: [
      {
        id: "msg_fake_1",
        type: "message",
        status: "completed",
        role: "assistant",
        content: [{ type: "output_text", text: TEXT_PARTS.join(""), annotations: [] }],
      },
    ],
    usage: {
      input_tokens: 20,
      input_tokens_details: { cached_tokens: 8 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 25,
    },
  };
}

function responseEvents(model: string) {
  const final = response(model);
  const pending = { ...final, status: "in_progress", output: [], usage: null };
  const item = { id: "msg_fake_1", type: "message", status: "in_progress", role: "assistant", content: [] };
  const events: Array<Record<string, unknown>> = [
    { type: "response.created", response: pending },
    { type: "response.output_item.added", output_index: 0, item },
    {
      type: "response.content_part.added",
      item_id: "msg_fake_1",
      output_index: 0,
      content_index: 0,
      part: { type: "output_text", text: "", annotations: [] },
    },
    ...TEXT_PARTS.map((delta) => ({
      type: "response.output_text.delta",
      item_id: "msg_fake_1",
      output_index: 0,
      content_index: 0,
      delta,
    })),
    { type: "response.output_item.done", output_index: 0, item: final.output[0] },
    { type: "response.completed", response: final },
  ];
  return events.map((e, i) => `event: ${e.type}\ndata: ${JSON.stringify({ ...e, sequence_number: i })}\n\n`);
}

const anthropicUsage = {
  input_tokens: 10,
  cache_creation_input_tokens: 3,
  cache_read_input_tokens: 5,
  output_tokens: 6,
};

function anthropicMessage(model: string, scenario: string) {
  const content =
    scenario === "tools"
      ? [
          { type: "text", text: "Let me check." },
          { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } },
        ]
      : [{ type: "text", text: TEXT_PARTS.join("") }];
  return {
    id: "msg_fake_1",
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: scenario === "tools" ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: anthropicUsage,
  };
}

function anthropicEvents(model: string, scenario: string) {
  const start = {
    ...anthropicMessage(model, scenario),
    content: [],
    stop_reason: null,
    usage: { ...anthropicUsage, output_tokens: 1 },
  };
  const events: Array<Record<string, unknown>> = [{ type: "message_start", message: start }];
  if (scenario === "tools") {
    events.push({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
    events.push({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Let me check." } });
    events.push({ type: "content_block_stop", index: 0 });
    events.push({
      type: "content_block_start",
      index: 1,
      content_block: { type: "tool_use", id: "toolu_1", name: "get_weather", input: {} },
    });
    for (const part of ['{"city"', ': "Par', 'is"}'])
      events.push({ type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: part } });
    events.push({ type: "content_block_stop", index: 1 });
  } else {
    events.push({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
    for (const text of TEXT_PARTS)
      events.push({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } });
    events.push({ type: "content_block_stop", index: 0 });
  }
  events.push({
    type: "message_delta",
    delta: { stop_reason: scenario === "tools" ? "tool_use" : "end_turn", stop_sequence: null },
    usage: { output_tokens: 6 },
  });
  events.push({ type: "message_stop" });
  return events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
}

function embeddings(body: { input: string | string[]; model: string; encoding_format?: string }) {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const vector = [0.25, -0.5, 0.125, 1];
  const encoded = Buffer.from(new Float32Array(vector).buffer).toString("base64");
  return {
    object: "list",
    data: inputs.map((_, index) => ({
      object: "embedding",
      index,
      embedding: body.encoding_format === "base64" ? encoded : vector,
    })),
    model: body.model,
    usage: { prompt_tokens: 3 * inputs.length, total_tokens: 3 * inputs.length },
  };
}

export type FakeUpstream = { url: string; close: () => Promise<void> };

/** Starts the fake on 127.0.0.1 (a free port, or `port`: `npm run fake:upstream` uses 8790). */
export async function startFakeUpstream(port = 0): Promise<FakeUpstream> {
  const log: Logged[] = [];
  const releases = new Map<string, () => void>();

  async function write(res: ServerResponse, parts: string[], entry: Logged, pauseAfterFirst: boolean) {
    sseHead(res);
    res.write(parts[0]);
    if (pauseAfterFirst) {
      const key = String(entry.headers.authorization ?? entry.headers["x-api-key"]);
      entry.releasedBy = await new Promise<"control" | "timeout">((resolve) => {
        const timer = setTimeout(() => resolve("timeout"), PAUSE_LIMIT_MS);
        releases.set(key, () => {
          clearTimeout(timer);
          resolve("control");
        });
      });
    }
    for (const part of parts.slice(1)) res.write(part);
    res.end();
  }

  /** Writes a chunk every 20 ms until the client goes away (or the limit). */
  function slow(res: ServerResponse, entry: Logged, chunk: (i: number) => string, first: string[]) {
    sseHead(res);
    for (const part of first) res.write(part);
    let i = 0;
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started > SLOW_LIMIT_MS) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(chunk(i++));
    }, 20);
    res.on("close", () => {
      clearInterval(timer);
      entry.clientLeft = !res.writableFinished;
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", "http://fake");
    if (url.pathname === "/__fake/requests") {
      const auth = url.searchParams.get("auth");
      return json(
        res,
        200,
        log.filter((e) => !auth || credential({ headers: e.headers } as IncomingMessage) === auth),
      );
    }
    if (url.pathname === "/__fake/release") {
      const release = releases.get(url.searchParams.get("auth") ?? "");
      release?.();
      return json(res, release ? 200 : 404, { released: !!release });
    }
    if (url.pathname === "/noop") return json(res, 200, { ok: true });
    const scenario = String(req.headers["x-fake-scenario"] ?? "plain");
    const entry: Logged = {
      method: req.method ?? "",
      path: url.pathname + url.search,
      headers: req.headers,
      bodyBytes: raw.byteLength,
      bodySha256: createHash("sha256").update(raw).digest("hex"),
      scenario,
    };
    log.push(entry);
    const isJson = String(req.headers["content-type"] ?? "").includes("json");
    const body = isJson && raw.byteLength ? JSON.parse(raw.toString("utf8")) : {};
    const anthropic = url.pathname === "/v1/messages";

    if (scenario === "redirect") {
      res.writeHead(302, { location: "https://elsewhere.example/v1/chat/completions" });
      return res.end();
    }
    if (scenario === "set-cookie" && !anthropic && !body.stream)
      return json(res, 200, chatCompletion(body.model, scenario), { "set-cookie": "wl_session=attacker; Path=/" });
    if (scenario === "429" || scenario === "500") {
      const status = Number(scenario);
      const message =
        status === 429 ? "Rate limit reached for requests" : "The server had an error while processing your request.";
      if (anthropic)
        return json(
          res,
          status,
          { type: "error", error: { type: status === 429 ? "rate_limit_error" : "api_error", message } },
          { "retry-after": "7", "request-id": "req_fake_anthropic" },
        );
      return json(
        res,
        status,
        {
          error: {
            message,
            type: status === 429 ? "requests" : "server_error",
            param: null,
            code: status === 429 ? "rate_limit_exceeded" : null,
          },
        },
        { "retry-after": "7", "x-request-id": "req_fake_1" },
      );
    }
    if (req.method === "GET" && url.pathname === "/v1/models") {
      return json(res, 200, {
        object: "list",
        data: [{ id: "gpt-4o-mini", object: "model", created: CREATED, owned_by: "system" }],
      });
    }
    if (url.pathname === "/v1/audio/transcriptions")
      return json(res, 200, { text: `received ${raw.byteLength} bytes` });
    if (url.pathname === "/v1/embeddings") return json(res, 200, embeddings(body));
    if (url.pathname === "/v1/responses") {
      if (!body.stream) return json(res, 200, response(body.model));
      return write(res, responseEvents(body.model), entry, scenario === "pause");
    }
    if (url.pathname === "/v1/chat/completions") {
      if (!body.stream) return json(res, 200, chatCompletion(body.model, scenario));
      if (scenario === "slow") {
        const base = { id: "chatcmpl-fake-1", object: "chat.completion.chunk", created: CREATED, model: body.model };
        const first = `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] })}\n\n`;
        return slow(
          res,
          entry,
          (i) =>
            `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: `tick${i} ` }, finish_reason: null }] })}\n\n`,
          [first],
        );
      }
      return write(
        res,
        chatChunks(body.model, scenario, body.stream_options?.include_usage === true),
        entry,
        scenario === "pause",
      );
    }
    if (anthropic) {
      if (!body.stream)
        return json(res, 200, anthropicMessage(body.model, scenario), { "request-id": "req_fake_anthropic" });
      if (scenario === "slow") {
        const events = anthropicEvents(body.model, "plain");
        return slow(
          res,
          entry,
          (i) =>
            `event: content_block_delta\ndata: ${JSON.stringify({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: `tick${i} ` } })}\n\n`,
          events.slice(0, 2),
        );
      }
      return write(res, anthropicEvents(body.model, scenario), entry, scenario === "pause");
    }
    return json(res, 404, {
      error: { message: `fake upstream: no route ${req.method} ${url.pathname}`, type: "invalid_request_error" },
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) json(res, 500, { error: { message: `fake upstream failed: ${String(err)}` } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
