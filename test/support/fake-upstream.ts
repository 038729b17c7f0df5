// The tests' one fake provider upstream: serves the recorded answers under test/fixtures/providers/ (JSON and SSE, per
// provider and endpoint) by path, model, variant and stream flag, for the gateway, the TS SDK, the OTel and the Python
// tests. Besides the recordings it knows only what a recording can't hold: the requested model in the answer, the
// include_usage switch, one embedding per input, and the failure scenarios a test asks for (header X-Fake-Scenario, or
// the model name): errors, a pause the test releases, a stream that runs until the client leaves. It logs every request,
// which tests read back through /__fake/requests. `node test/support/fake-upstream.ts` runs it alone and prints its URL.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "providers");

export type Logged = {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The request body when it was JSON, else null. */
  body: unknown;
  bodyBytes: number;
  bodySha256: string;
  scenario: string;
  /** For `pause`: whether the test released it (`control`) or the safety timeout did. */
  releasedBy?: "control" | "timeout";
  /** For streams: whether the client went away before the stream ended. */
  clientLeft?: boolean;
};

// biome-ignore lint/suspicious/noExplicitAny: request bodies and recordings are whatever the provider sends
type Any = Record<string, any>;

/** A pause ends by itself after this, so a broken test fails instead of hanging. */
const PAUSE_LIMIT_MS = 10_000;
/** A `slow` stream gives up after this. */
const SLOW_LIMIT_MS = 20_000;
/** Scenarios a model name can ask for (clients that can't set a header: the SDK and Python tests). */
const MODEL_SCENARIOS: Record<string, string> = {
  broken: "404",
  "missing-model": "404",
  overloaded: "503",
  slow: "slow",
  long: "long",
  "breaks-mid-stream": "breaks-mid-stream",
};
const VARIANTS = new Set(["tools", "parallel-tools", "structured"]);

/** A recorded JSON answer, parsed (a fresh copy each time). */
export function recorded(file: string): Any {
  return JSON.parse(readFileSync(join(FIXTURES, file), "utf8")) as Any;
}

/** A recorded SSE answer as its events (each with its trailing blank line). */
function recordedEvents(file: string): string[] {
  return (readFileSync(join(FIXTURES, file), "utf8").match(/[\s\S]*?(?:\r?\n){2}/g) ?? []) as string[];
}

type Call = { provider: string; endpoint: string; model: string; stream: boolean };

/** Which recording a request asks for: provider and endpoint from the path (and the model, for OpenAI-compatible). */
function callOf(path: string, body: Any): Call | null {
  const gemini = path.match(/\/models\/([^/:]+):(generateContent|streamGenerateContent)$/);
  if (gemini)
    return {
      provider: "gemini",
      endpoint: "generateContent",
      model: gemini[1]!,
      stream: gemini[2] !== "generateContent",
    };
  const model = String(body.model ?? "");
  const stream = body.stream === true;
  if (path.endsWith("/chat/completions")) {
    const provider = model.startsWith("deepseek") ? "deepseek" : model.startsWith("grok") ? "xai" : "openai";
    return { provider, endpoint: "chat", model, stream };
  }
  for (const endpoint of ["responses", "embeddings", "completions"])
    if (path.endsWith(`/${endpoint}`)) return { provider: "openai", endpoint, model, stream };
  if (path.endsWith("/messages")) return { provider: "anthropic", endpoint: "messages", model, stream };
  return null;
}

/** The variant a request asks for: named by the scenario, or read from the request (tools offered, a JSON schema). */
function variantOf(body: Any, scenario: string): string | null {
  if (VARIANTS.has(scenario)) return scenario;
  // After a tool's result (OpenAI's `tool` message, Anthropic's `tool_result` block) the model answers in text.
  const last = body.messages?.at?.(-1);
  const toolResult =
    last?.role === "tool" || (Array.isArray(last?.content) && last.content.some((c: Any) => c?.type === "tool_result"));
  if (body.tools?.length && !toolResult) return "tools";
  if (body.response_format?.type === "json_schema" || body.text?.format?.type === "json_schema") return "structured";
  return null;
}

/** The recording's file: the variant's when there is one, else the plain answer. */
function fileOf(call: Call, variant: string | null): string {
  const suffix = call.stream ? ".stream.sse" : ".json";
  const named = `${call.provider}/${call.endpoint}${variant ? `.${variant}` : ""}${suffix}`;
  return variant && !existsSync(join(FIXTURES, named)) ? `${call.provider}/${call.endpoint}${suffix}` : named;
}

/** The model an answer names: the requested one, dated as the recording's was (OpenAI answers `gpt-4o-mini-2024-07-18`). */
function answeredModel(recordedModel: string, requested: string, path: string) {
  if (!requested || path.includes("/deployments/")) return recordedModel; // Azure names the deployment's model
  const date = /-\d{4}-\d{2}-\d{2}$/;
  const dated = recordedModel.match(date)?.[0];
  return dated && !date.test(requested) ? `${requested}${dated}` : requested;
}

/** Puts the requested model into an answer or a stream event (top level, `response`, `message`). */
function withModel(value: Any, model: (recorded: string) => string): Any {
  for (const holder of [value, value.response, value.message])
    if (holder && typeof holder.model === "string") holder.model = model(holder.model);
  if (typeof value.modelVersion === "string") value.modelVersion = model(value.modelVersion);
  return value;
}

/** Rewrites the JSON of one SSE event (`data: [DONE]` and the like pass unchanged). */
function mapEvent(event: string, edit: (data: Any) => Any | null): string | null {
  const match = event.match(/^data: (\{.*\})\r?$/m);
  if (!match) return event;
  const data = edit(JSON.parse(match[1]!) as Any);
  return data === null ? null : event.replace(match[1]!, JSON.stringify(data));
}

/** Where an event's text delta sits (chat chunk, Responses, Anthropic, Gemini): the object and its key, or null. */
function deltaSlot(data: Any): [Any, string] | null {
  const chat = data.choices?.[0]?.delta;
  if (typeof chat?.content === "string" && chat.content) return [chat, "content"];
  if (data.type === "response.output_text.delta") return [data, "delta"];
  if (data.delta?.type === "text_delta") return [data.delta, "text"];
  const gemini = data.candidates?.[0];
  if (typeof gemini?.content?.parts?.[0]?.text === "string" && !gemini.finishReason)
    return [gemini.content.parts[0], "text"];
  return null;
}

/** Whether an SSE event carries a text delta. */
const hasText = (event: string) => {
  let found = false;
  mapEvent(event, (data) => {
    found = deltaSlot(data) !== null;
    return data;
  });
  return found;
};

/** A copy of a text-delta event with another text. */
const withText = (event: string, text: string) =>
  mapEvent(event, (data) => {
    const [holder, key] = deltaSlot(data)!;
    holder[key] = text;
    return data;
  }) as string;

const credential = (headers: IncomingMessage["headers"]) =>
  String(headers.authorization ?? headers["x-api-key"] ?? headers["x-goog-api-key"] ?? "");

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** The provider's request-id headers on a JSON answer. */
const idHeaders = (provider: string): Record<string, string> =>
  provider === "anthropic"
    ? { "request-id": "req_fake_anthropic" }
    : { "x-request-id": "req_fake_1", "openai-processing-ms": "5" };

function errorAnswer(res: ServerResponse, provider: string, scenario: string, model: string) {
  if (scenario === "404")
    return json(res, 404, {
      error: {
        message: `The model \`${model}\` does not exist`,
        type: "invalid_request_error",
        code: "model_not_found",
      },
    });
  if (scenario === "503")
    return json(
      res,
      503,
      { error: { message: "The server is overloaded", type: "server_error" } },
      { "retry-after-ms": "5" },
    );
  const status = Number(scenario);
  const message =
    status === 429 ? "Rate limit reached for requests" : "The server had an error while processing your request.";
  if (provider === "anthropic")
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

/** The recorded JSON answer, fitted to the request (model, embeddings per input, `n` choices). */
function jsonAnswer(call: Call, file: string, body: Any, path: string): Any {
  const answer = withModel(recorded(file), (m) => answeredModel(m, call.model, path));
  if (call.endpoint === "embeddings") {
    const inputs: unknown[] = Array.isArray(body.input) ? body.input : [body.input];
    const [item] = answer.data;
    const vector = item.embedding as number[];
    const embedding =
      body.encoding_format === "base64" ? Buffer.from(new Float32Array(vector).buffer).toString("base64") : vector;
    answer.data = inputs.map((_, index) => ({ ...item, index, embedding }));
    for (const key of Object.keys(answer.usage)) answer.usage[key] *= inputs.length;
  }
  if (call.endpoint === "chat" && Number(body.n) > 1)
    answer.choices = Array.from({ length: Number(body.n) }, (_, index) => ({ ...answer.choices[0], index }));
  return answer;
}

/** The recorded stream, fitted to the request: model, usage chunk only when asked for, and the scenario's shape. */
function streamEvents(call: Call, file: string, body: Any, path: string, scenario: string): string[] {
  const dropUsage =
    (call.endpoint === "chat" || call.endpoint === "completions") && body.stream_options?.include_usage !== true;
  let events = recordedEvents(file)
    .map((e) =>
      mapEvent(e, (data) =>
        dropUsage && Array.isArray(data.choices) && data.choices.length === 0 && data.usage
          ? null
          : withModel(data, (m) => answeredModel(m, call.model, path)),
      ),
    )
    .filter((e): e is string => e !== null);
  const firstText = events.findIndex(hasText);
  if (scenario === "long" && firstText >= 0) {
    const texts = events.filter(hasText);
    const before = events.slice(0, firstText);
    const after = events.slice(firstText + texts.length);
    events = [...before, ...Array.from({ length: 20 }, () => texts).flat(), ...after];
  }
  if (scenario === "breaks-mid-stream") {
    const finish = events.findLastIndex((e) => e.includes('"finish_reason":"') || e.includes("response.completed"));
    const error = `data: ${JSON.stringify({ error: { message: "upstream overloaded", type: "server_error" } })}\n\n`;
    events.splice(finish < 0 ? events.length : finish, 0, error);
  }
  return events;
}

function sseHead(res: ServerResponse) {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-request-id": "req_fake_stream",
  });
  res.flushHeaders();
}

export type FakeUpstream = {
  url: string;
  close: () => Promise<void>;
};

/** The fake's request handler and log, without a server (`startFakeUpstream` puts one around it). */
export function fakeUpstreamHandler() {
  const log: Logged[] = [];
  const releases = new Map<string, () => void>();

  async function write(res: ServerResponse, events: string[], entry: Logged, pauseAfterFirst: boolean) {
    sseHead(res);
    let gone = false;
    res.on("close", () => {
      gone = true;
      entry.clientLeft = !res.writableFinished;
    });
    res.write(events[0]);
    if (pauseAfterFirst) {
      const key = credential(entry.headers);
      entry.releasedBy = await new Promise<"control" | "timeout">((resolve) => {
        const timer = setTimeout(() => resolve("timeout"), PAUSE_LIMIT_MS);
        releases.set(key, () => {
          clearTimeout(timer);
          resolve("control");
        });
      });
    }
    for (const event of events.slice(1)) if (!gone) res.write(event);
    res.end();
  }

  /** Writes the events up to the first text delta, then a `tick<i> ` delta every 20 ms until the client leaves. */
  function slow(res: ServerResponse, events: string[], entry: Logged) {
    const first = events.findIndex(hasText);
    sseHead(res);
    for (const event of events.slice(0, first)) res.write(event);
    let i = 0;
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started > SLOW_LIMIT_MS) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(withText(events[first]!, `tick${i++} `));
    }, 20);
    res.on("close", () => {
      clearInterval(timer);
      entry.clientLeft = !res.writableFinished;
    });
  }

  /** Answers `path` (the provider's path, e.g. /v1/chat/completions); false when it is none of the fake's. */
  async function handle(req: IncomingMessage, res: ServerResponse, path: string, raw: Buffer): Promise<boolean> {
    const url = new URL(path, "http://fake");
    if (url.pathname === "/__fake/requests") {
      const auth = url.searchParams.get("auth");
      json(
        res,
        200,
        log.filter((e) => !auth || credential(e.headers) === auth),
      );
      return true;
    }
    if (url.pathname === "/__fake/release") {
      const release = releases.get(url.searchParams.get("auth") ?? "");
      release?.();
      json(res, release ? 200 : 404, { released: !!release });
      return true;
    }
    if (url.pathname === "/noop") {
      json(res, 200, { ok: true });
      return true;
    }
    const isJson = String(req.headers["content-type"] ?? "").includes("json");
    const body: Any = isJson && raw.byteLength ? JSON.parse(raw.toString("utf8")) : {};
    const scenario = String(req.headers["x-fake-scenario"] ?? MODEL_SCENARIOS[body.model] ?? "plain");
    const entry: Logged = {
      method: req.method ?? "",
      path: url.pathname + url.search,
      headers: req.headers,
      body: isJson && raw.byteLength ? body : null,
      bodyBytes: raw.byteLength,
      bodySha256: createHash("sha256").update(raw).digest("hex"),
      scenario,
    };

    log.push(entry);
    if (req.method === "GET" && url.pathname.endsWith("/models")) {
      json(res, 200, {
        object: "list",
        data: [{ id: "gpt-4o-mini", object: "model", created: 1_764_000_000, owned_by: "system" }],
      });
      return true;
    }
    if (url.pathname.endsWith("/audio/transcriptions")) {
      json(res, 200, { text: `received ${raw.byteLength} bytes` });
      return true;
    }
    if (url.pathname.endsWith("/batches")) {
      // Not a model call: what observing must leave alone.
      json(res, 200, { id: "batch_1", object: "batch", endpoint: body.endpoint, status: "validating" });
      return true;
    }
    const call = callOf(url.pathname, body);
    if (!call) return false;

    if (scenario === "redirect") {
      res.writeHead(302, { location: "https://elsewhere.example/v1/chat/completions" });
      res.end();
      return true;
    }
    if (["404", "429", "500", "503"].includes(scenario)) {
      errorAnswer(res, call.provider, scenario, call.model);
      return true;
    }
    const file = fileOf(call, variantOf(body, scenario));
    if (!call.stream) {
      const headers = idHeaders(call.provider);
      if (scenario === "set-cookie") headers["set-cookie"] = "wl_session=attacker; Path=/";
      json(res, 200, jsonAnswer(call, file, body, url.pathname), headers);
      return true;
    }
    const events = streamEvents(call, file, body, url.pathname, scenario);
    if (scenario === "slow") slow(res, events, entry);
    else await write(res, events, entry, scenario === "pause");
    return true;
  }

  return { handle, log };
}

/** Starts the fake on 127.0.0.1 (a free port unless `port` is given: `npm run fake:upstream` uses 8790). */
export async function startFakeUpstream(port = 0): Promise<FakeUpstream> {
  const { handle } = fakeUpstreamHandler();
  const server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const path = req.url ?? "/";
      if (!(await handle(req, res, path, Buffer.concat(chunks))))
        json(res, 404, {
          error: { message: `fake upstream: no route ${req.method} ${path}`, type: "invalid_request_error" },
        });
    } catch (err) {
      if (!res.headersSent) json(res, 500, { error: { message: `fake upstream failed: ${String(err)}` } });
      else res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Run alone (the Python tests start it this way): prints the URL, stops when stdin closes.
if (import.meta.main) {
  const fake = await startFakeUpstream();
  process.stdout.write(`${fake.url}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => void fake.close().then(() => process.exit(0)));
}
