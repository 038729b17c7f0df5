// The real `openai` client pointed at the gateway: answers equal the upstream's, streams pass through as they come,
// and every call is recorded with model, tokens, cost, timing and the caller's trace headers.
import OpenAI, { toFile } from "openai";
import OpenAI6 from "openai-v6";
import { beforeAll, describe, expect, it } from "vitest";
import {
  base,
  newProject,
  type Project,
  providerKey,
  rejection,
  release,
  storedEvent,
  upstream,
  upstreamRequests,
  waitFor,
  watchllm,
} from "./helpers.ts";

let project: Project;
beforeAll(async () => {
  project = await newProject();
});

/** The same client twice: through the gateway (noting the event id of each answer), and straight to the upstream. */
function clients(key: string, headers: Record<string, string> = {}, gatewayOnly: Record<string, string> = {}) {
  const eventIds: string[] = [];
  const noting: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    eventIds.push(res.headers.get("WatchLLM-Event-Id") ?? "");
    return res;
  };
  return {
    gateway: new OpenAI({
      apiKey: key,
      baseURL: `${base}/gateway/openai/v1`,
      maxRetries: 0,
      fetch: noting,
      defaultHeaders: { ...watchllm(project.ingestKey, gatewayOnly), ...headers },
    }),
    direct: new OpenAI({ apiKey: key, baseURL: `${upstream}/v1`, maxRetries: 0, defaultHeaders: headers }),
    eventIds,
  };
}

/**
 * Headers that legitimately differ between two HTTP hops (connection handling, time, and the compression Cloudflare's
 * edge, which wrangler dev emulates, applies for clients that accept it), and the gateway's own.
 */
const HOP_HEADERS = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-encoding"]);
const comparable = (headers: Headers) =>
  [...headers].filter(([name]) => !HOP_HEADERS.has(name) && !name.startsWith("watchllm-"));

const messages = [{ role: "user" as const, content: "Say hello." }];
// gpt-4o-mini: $0.15 / M input, $0.075 / M cached input, $0.60 / M output; the fake reports 12 in (4 cached), 7 out.
const FAKE_CHAT_COST = (8 * 0.15 + 4 * 0.075 + 7 * 0.6) / 1e6;

describe("gateway with the openai client", () => {
  it("answers a chat completion byte for byte as the upstream does, and records it with the trace headers", async () => {
    const key = providerKey("plain");
    const traceHeaders = {
      "WatchLLM-Trace-Id": `trace-${crypto.randomUUID()}`,
      "WatchLLM-Parent-Id": "parent-span-1",
      "WatchLLM-User-Id": "user-42",
      "WatchLLM-Session-Id": "session-7",
      "WatchLLM-Name": "greeting",
      "WatchLLM-Tags": "support, beta",
      "WatchLLM-Property-Environment": "test",
    };
    const { gateway, direct } = clients(key, {}, traceHeaders);
    const params = { model: "gpt-4o-mini", messages, temperature: 0 };

    const viaGateway = await gateway.chat.completions.create(params).asResponse();
    const straight = await direct.chat.completions.create(params).asResponse();
    expect(viaGateway.status).toBe(200);
    expect(Buffer.from(await viaGateway.arrayBuffer())).toEqual(Buffer.from(await straight.arrayBuffer()));
    expect(comparable(viaGateway.headers)).toEqual(comparable(straight.headers));
    expect(await gateway.chat.completions.create(params)).toEqual(await direct.chat.completions.create(params));

    // The provider key and body reached the upstream unchanged; none of WatchLLM's headers did.
    const seen = await upstreamRequests(key);
    expect(seen).toHaveLength(4);
    expect(new Set(seen.map((r) => r.bodySha256)).size).toBe(1);
    for (const r of seen) {
      expect(r.headers.authorization).toBe(`Bearer ${key}`);
      expect(Object.keys(r.headers).filter((h) => h.startsWith("watchllm-"))).toEqual([]);
    }

    const eventId = viaGateway.headers.get("WatchLLM-Event-Id")!;
    expect(viaGateway.headers.get("WatchLLM-Trace-Id")).toBe(traceHeaders["WatchLLM-Trace-Id"]);
    const event = await storedEvent(project.projectId, eventId);
    expect(event).toMatchObject({
      type: "model_response",
      name: "greeting",
      status: "ok",
      trace_id: traceHeaders["WatchLLM-Trace-Id"],
      parent_event_id: "parent-span-1",
      model: "gpt-4o-mini-2024-07-18",
      provider: "openai",
      input_tokens: 12,
      output_tokens: 7,
      cached_input_tokens: 4,
      cost_source: "price_table",
      user_id: "user-42",
      session_id: "session-7",
    });
    expect(event.cost_usd).toBeCloseTo(FAKE_CHAT_COST, 12);
    expect(event.bodyJson).toEqual({
      input: messages,
      output: { role: "assistant", content: "Hello from the fake upstream." },
      params: { temperature: 0 },
    });
    expect(event.contextJson).toMatchObject({
      tags: ["support", "beta"],
      metadata: {
        environment: "test",
        upstream_status: 200,
        finish_reason: "stop",
        upstream_request_id: "req_fake_1",
        endpoint: "POST /chat/completions",
      },
    });
    expect(event.contextJson.metadata.ttft_ms).toBeGreaterThanOrEqual(0);
    expect(event.duration_ms).toBeGreaterThanOrEqual(event.contextJson.metadata.ttft_ms);
  });

  it("streams chunks as they arrive: the first reaches the client while the upstream still holds the rest", async () => {
    const key = providerKey("pause");
    const { gateway, direct } = clients(key, { "X-Fake-Scenario": "pause" });
    const params = { model: "gpt-4o-mini", messages, stream: true as const, stream_options: { include_usage: true } };

    const collect = async (client: OpenAI) => {
      const { data: stream, response } = await client.chat.completions.create(params).withResponse();
      const chunks: unknown[] = [];
      let heldWhenFirstArrived: boolean | undefined;
      for await (const chunk of stream) {
        // Releasing succeeds only while the upstream is still paused after its first chunk.
        if (chunks.length === 0) heldWhenFirstArrived = await release(`Bearer ${key}`);
        chunks.push(chunk);
      }
      return { chunks, heldWhenFirstArrived, response };
    };
    const viaGateway = await collect(gateway);
    const straight = await collect(direct);
    expect(viaGateway.heldWhenFirstArrived).toBe(true);
    expect(straight.heldWhenFirstArrived).toBe(true);
    expect(viaGateway.chunks).toEqual(straight.chunks);
    expect((await upstreamRequests(key)).map((r) => r.releasedBy)).toEqual(["control", "control"]);

    const event = await storedEvent(project.projectId, viaGateway.response.headers.get("WatchLLM-Event-Id")!);
    expect(event).toMatchObject({
      type: "model_response",
      status: "ok",
      model: "gpt-4o-mini-2024-07-18",
      input_tokens: 12,
      output_tokens: 7,
      cached_input_tokens: 4,
    });
    expect(event.cost_usd).toBeCloseTo(FAKE_CHAT_COST, 12);
    expect(event.bodyJson.output).toEqual({ role: "assistant", content: "Hello from the fake upstream." });
    const { ttft_ms, finish_reason } = event.contextJson.metadata;
    expect(finish_reason).toBe("stop");
    // The first chunk came before the test released the pause, the end after it.
    expect(ttft_ms).toBeLessThan(event.duration_ms);
    expect(event.first_token_ms).toBe(ttft_ms);
  });

  it("passes a streamed answer through byte for byte", async () => {
    const key = providerKey("stream-bytes");
    const { gateway, direct } = clients(key);
    const params = { model: "gpt-4o-mini", messages, stream: true as const };
    const viaGateway = await gateway.chat.completions.create(params).asResponse();
    const straight = await direct.chat.completions.create(params).asResponse();
    expect(viaGateway.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(await viaGateway.text()).toBe(await straight.text());
    expect(comparable(viaGateway.headers)).toEqual(comparable(straight.headers));
    // Without stream_options.include_usage OpenAI sends no usage: the call is recorded without tokens or cost.
    const event = await storedEvent(project.projectId, viaGateway.headers.get("WatchLLM-Event-Id")!);
    expect(event).toMatchObject({ status: "ok", input_tokens: null, cost_usd: null });
  });

  it("assembles streamed tool calls from their deltas", async () => {
    const key = providerKey("tools");
    const { gateway, direct, eventIds } = clients(key, { "X-Fake-Scenario": "parallel-tools" });
    const params = { model: "gpt-4o-mini", messages, stream_options: { include_usage: true } };
    const final = await gateway.chat.completions.stream(params).finalChatCompletion();
    expect(final).toEqual(await direct.chat.completions.stream(params).finalChatCompletion());
    expect(final.choices[0]!.message.tool_calls).toHaveLength(2);

    const event = await storedEvent(project.projectId, eventIds[0]!);
    expect(event.bodyJson.output).toEqual({
      role: "assistant",
      content: null,
      tool_calls: [
        { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        { id: "call_2", type: "function", function: { name: "get_time", arguments: '{"tz":"CET"}' } },
      ],
    });
    expect(event.contextJson.metadata.finish_reason).toBe("tool_calls");
  });

  it("records non-streamed and streamed Responses API calls", async () => {
    const key = providerKey("responses");
    const { gateway, direct } = clients(key);
    const plain = await gateway.responses.create({ model: "gpt-4o-mini", input: "Say hello." }).withResponse();
    expect(plain.data).toEqual(await direct.responses.create({ model: "gpt-4o-mini", input: "Say hello." }));
    expect(plain.data.output_text).toBe("Hello from the fake upstream.");

    const streamed = await gateway.responses
      .create({ model: "gpt-4o-mini", input: "Say hello.", stream: true })
      .withResponse();
    const events: unknown[] = [];
    for await (const e of streamed.data) events.push(e);
    const straight: unknown[] = [];
    for await (const e of await direct.responses.create({ model: "gpt-4o-mini", input: "Say hello.", stream: true }))
      straight.push(e);
    expect(events).toEqual(straight);

    for (const { response } of [plain, streamed]) {
      const event = await storedEvent(project.projectId, response.headers.get("WatchLLM-Event-Id")!);
      expect(event).toMatchObject({
        type: "model_response",
        name: "chat gpt-4o-mini",
        input_tokens: 20,
        output_tokens: 5,
        cached_input_tokens: 8,
      });
      expect(event.cost_usd).toBeGreaterThan(0);
      expect(event.bodyJson.input).toBe("Say hello.");
      expect(event.bodyJson.output).toEqual([
        {
          id: "msg_fake_1",
          type: "message",
          status: "completed",
          role: "assistant",
          content: [{ type: "output_text", text: "Hello from the fake upstream.", annotations: [] }],
        },
      ]);
    }
  });

  it("records embeddings with their token count and cost, not the vectors", async () => {
    const key = providerKey("embeddings");
    const { gateway, direct } = clients(key);
    const params = { model: "text-embedding-3-small", input: ["first text", "second text"] };
    const viaGateway = await gateway.embeddings.create(params).withResponse();
    expect(viaGateway.data).toEqual(await direct.embeddings.create(params));
    expect(viaGateway.data.data[0]!.embedding).toEqual([0.25, 0.5, 0.75]);
    const event = await storedEvent(project.projectId, viaGateway.response.headers.get("WatchLLM-Event-Id")!);
    expect(event).toMatchObject({
      type: "model_response",
      name: "embeddings text-embedding-3-small",
      model: "text-embedding-3-small",
      input_tokens: 6,
      output_tokens: 0,
    });
    expect(event.cost_usd).toBeCloseTo((6 * 0.02) / 1e6, 14);
    expect(event.bodyJson.output).toEqual({ embeddings: 2 });
    // Without WatchLLM-Trace-Id the call is a trace of its own.
    expect(event.trace_id).toBe(event.event_id);
    expect(viaGateway.response.headers.get("WatchLLM-Trace-Id")).toBe(event.event_id);
  });

  it.each([429, 500])("passes an upstream %i through unchanged and records the upstream's error", async (status) => {
    const key = providerKey(`error-${status}`);
    const { gateway, direct } = clients(key, { "X-Fake-Scenario": String(status) });
    const failure = (client: OpenAI) =>
      rejection<InstanceType<typeof OpenAI.APIError>>(
        client.chat.completions.create({ model: "gpt-4o-mini", messages }),
      );
    const viaGateway = await failure(gateway);
    const straight = await failure(direct);
    expect(viaGateway).toBeInstanceOf(OpenAI.APIError);
    expect(viaGateway.status).toBe(status);
    expect(viaGateway.error).toEqual(straight.error);
    expect(viaGateway.message).toBe(straight.message);
    expect(viaGateway.headers?.get("retry-after")).toBe("7");
    expect(await upstreamRequests(key)).toHaveLength(2);

    const event = await storedEvent(project.projectId, viaGateway.headers!.get("WatchLLM-Event-Id")!);
    const message = (straight.error as { message: string }).message;
    expect(event).toMatchObject({ type: "model_response", status: "error", model: "gpt-4o-mini", cost_usd: null });
    expect(event.contextJson.metadata).toMatchObject({ upstream_status: status, error: message });
    expect(event.bodyJson.error).toEqual({ error: straight.error });
  });

  it("records a stream the client abandons with what arrived, as `aborted`, and stops reading the upstream", async () => {
    const key = providerKey("abort");
    const { gateway } = clients(key, { "X-Fake-Scenario": "slow" });
    const { data: stream, response } = await gateway.chat.completions
      .create({ model: "gpt-4o-mini", messages, stream: true })
      .withResponse();
    let received = "";
    for await (const chunk of stream) {
      received += chunk.choices[0]?.delta.content ?? "";
      if (received.includes("tick2")) break; // leaving the loop aborts the request
    }
    // The gateway cancelled its upstream request when the client left.
    await waitFor(
      () => upstreamRequests(key),
      ([r]) => r?.clientLeft === true,
    );
    const event = await storedEvent(project.projectId, response.headers.get("WatchLLM-Event-Id")!);
    expect(event.status).toBe("error");
    expect(event.contextJson.metadata.error).toBe("aborted");
    expect(event.bodyJson.output.content).toMatch(/^tick0 tick1 tick2 /);
  });

  it("passes multipart uploads and body-less calls through unaltered, recorded as spans without a body", async () => {
    const key = providerKey("multipart");
    const { gateway, direct } = clients(key);
    const audio = Buffer.from("RIFF fake audio bytes");
    const viaGateway = await gateway.audio.transcriptions
      .create({ file: await toFile(audio, "a.wav"), model: "whisper-1" })
      .withResponse();
    expect(viaGateway.data).toEqual({ text: expect.stringMatching(/^received \d+ bytes$/) });

    // A fixed multipart body reaches the upstream byte for byte.
    const body = `--b0undary\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n--b0undary\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n${audio}\r\n--b0undary--\r\n`;
    const raw = await fetch(`${base}/gateway/openai/v1/audio/transcriptions`, {
      method: "POST",
      headers: {
        ...watchllm(project.ingestKey),
        Authorization: `Bearer ${key}`,
        "Content-Type": "multipart/form-data; boundary=b0undary",
      },
      body,
    });
    expect(await raw.json()).toEqual({ text: `received ${Buffer.byteLength(body)} bytes` });
    const seen = await upstreamRequests(key);
    const { createHash } = await import("node:crypto");
    expect(seen[1]!.bodySha256).toBe(createHash("sha256").update(body).digest("hex"));

    // Path and query go to the upstream exactly as sent (percent-encoding included).
    const file = await fetch(`${base}/gateway/openai/v1/files/file-a%2Fb/content?purpose=x%20y`, {
      headers: { ...watchllm(project.ingestKey), Authorization: `Bearer ${key}` },
    });
    expect(file.status).toBe(404); // the fake has no files
    expect((await upstreamRequests(key))[2]!.path).toBe("/v1/files/file-a%2Fb/content?purpose=x%20y");

    const models = await gateway.models.list().withResponse();
    expect(models.data.data.map((m) => m.id)).toEqual((await direct.models.list()).data.map((m) => m.id));

    for (const [res, name] of [
      [viaGateway.response, "audio.transcriptions"],
      [raw, "audio.transcriptions"],
      [models.response, "models"],
    ] as const) {
      const event = await storedEvent(project.projectId, res.headers.get("WatchLLM-Event-Id")!);
      expect(event).toMatchObject({ type: "span", name, status: "ok", body: null, model: null, provider: "openai" });
      expect(event.contextJson.metadata.upstream_status).toBe(200);
    }
  });
});

describe("gateway with the openai 6 client", () => {
  it("answers plain and streamed calls as the upstream does", async () => {
    const key = providerKey("openai-6");
    const gateway = new OpenAI6({
      apiKey: key,
      baseURL: `${base}/gateway/openai/v1`,
      maxRetries: 0,
      defaultHeaders: watchllm(project.ingestKey),
    });
    const direct = new OpenAI6({ apiKey: key, baseURL: `${upstream}/v1`, maxRetries: 0 });
    const params = { model: "gpt-4o-mini", messages };
    const { data, response } = await gateway.chat.completions.create(params).withResponse();
    expect(data).toEqual(await direct.chat.completions.create(params));
    const chunks = async (client: OpenAI6) => {
      const out: unknown[] = [];
      for await (const chunk of await client.chat.completions.create({ ...params, stream: true })) out.push(chunk);
      return out;
    };
    expect(await chunks(gateway)).toEqual(await chunks(direct));
    const event = await storedEvent(project.projectId, response.headers.get("WatchLLM-Event-Id")!);
    expect(event).toMatchObject({ model: "gpt-4o-mini-2024-07-18", input_tokens: 12, output_tokens: 7 });
  });
});
