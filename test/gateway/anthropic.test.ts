// The real `@anthropic-ai/sdk` client pointed at the gateway: Messages answers and event streams pass through
// unchanged, and the recording has Anthropic's usage (cache reads and writes) in WatchLLM's shape.
import Anthropic from "@anthropic-ai/sdk";
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
  upstreamRequestsByApiKey,
  waitFor,
  watchllm,
} from "./helpers.ts";

let project: Project;
beforeAll(async () => {
  project = await newProject();
});

function clients(key: string, headers: Record<string, string> = {}) {
  const eventIds: string[] = [];
  const noting: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    eventIds.push(res.headers.get("WatchLLM-Event-Id") ?? "");
    return res;
  };
  return {
    // Anthropic's base URL is the part before /v1.
    gateway: new Anthropic({
      apiKey: key,
      baseURL: `${base}/gateway/anthropic`,
      maxRetries: 0,
      fetch: noting,
      defaultHeaders: { ...watchllm(project.ingestKey), ...headers },
    }),
    direct: new Anthropic({ apiKey: key, baseURL: upstream, maxRetries: 0, defaultHeaders: headers }),
    eventIds,
  };
}

const params = {
  model: "claude-sonnet-4-5-20250929",
  max_tokens: 100,
  system: "Be brief.",
  messages: [{ role: "user" as const, content: "Say hello." }],
};
// claude-sonnet-4-5: $3 / M input, $0.30 cache read, $3.75 cache write, $15 output; the fake reports 10 uncached input,
// 5 cache reads, 3 cache writes and 6 output tokens.
const FAKE_COST = (10 * 3 + 5 * 0.3 + 3 * 3.75 + 6 * 15) / 1e6;

describe("gateway with the Anthropic client", () => {
  it("answers a message byte for byte and records usage with cache reads and writes", async () => {
    const key = providerKey("anthropic-plain");
    const { gateway, direct } = clients(key);
    const viaGateway = await gateway.messages.create(params).asResponse();
    const straight = await direct.messages.create(params).asResponse();
    expect(await viaGateway.text()).toBe(await straight.text());
    expect(viaGateway.headers.get("request-id")).toBe("req_fake_anthropic");
    expect(await gateway.messages.create(params)).toEqual(await direct.messages.create(params));

    const seen = await upstreamRequests(key);
    expect(seen).toHaveLength(4);
    expect(seen.every((r) => r.headers["anthropic-version"] && r.headers.authorization === `Bearer ${key}`)).toBe(true);

    const event = await storedEvent(project.projectId, viaGateway.headers.get("WatchLLM-Event-Id")!);
    expect(event).toMatchObject({
      type: "model_response",
      name: `chat ${params.model}`,
      provider: "anthropic",
      model: "claude-sonnet-4-5-20250929",
      input_tokens: 18,
      cached_input_tokens: 5,
      cache_write_tokens: 3,
      output_tokens: 6,
      cost_source: "price_table",
    });
    expect(event.cost_usd).toBeCloseTo(FAKE_COST, 12);
    expect(event.bodyJson).toEqual({
      input: [{ role: "system", content: "Be brief." }, ...params.messages],
      output: { role: "assistant", content: [{ type: "text", text: "Hello from the fake upstream." }] },
      params: { max_tokens: 100 },
    });
    expect(event.contextJson.metadata).toMatchObject({
      finish_reason: "end_turn",
      upstream_request_id: "req_fake_anthropic",
    });
  });

  it("forwards an x-api-key unchanged, as older clients send it", async () => {
    const key = providerKey("anthropic-x-api-key");
    const res = await fetch(`${base}/gateway/anthropic/v1/messages`, {
      method: "POST",
      headers: {
        ...watchllm(project.ingestKey),
        "x-api-key": key,
        "anthropic-version": "2023-06-01",
        "content-type": "application/json",
      },
      body: JSON.stringify(params),
    });
    expect(res.status).toBe(200);
    const [seen] = await upstreamRequestsByApiKey(key);
    expect(seen!.headers["x-api-key"]).toBe(key);
    expect(seen!.headers.authorization).toBeUndefined();
  });

  it("streams events as they arrive and records the assembled message", async () => {
    const key = providerKey("anthropic-pause");
    const { gateway, direct } = clients(key, { "X-Fake-Scenario": "pause" });
    const collect = async (client: Anthropic) => {
      const { data: stream, response } = await client.messages.create({ ...params, stream: true }).withResponse();
      const events: unknown[] = [];
      let heldWhenFirstArrived: boolean | undefined;
      for await (const e of stream) {
        if (events.length === 0) heldWhenFirstArrived = await release(`Bearer ${key}`);
        events.push(e);
      }
      return { events, heldWhenFirstArrived, response };
    };
    const viaGateway = await collect(gateway);
    const straight = await collect(direct);
    expect(viaGateway.heldWhenFirstArrived).toBe(true);
    expect(viaGateway.events).toEqual(straight.events);

    const event = await storedEvent(project.projectId, viaGateway.response.headers.get("WatchLLM-Event-Id")!);
    expect(event).toMatchObject({
      status: "ok",
      input_tokens: 18,
      cached_input_tokens: 5,
      cache_write_tokens: 3,
      output_tokens: 6,
    });
    expect(event.cost_usd).toBeCloseTo(FAKE_COST, 12);
    expect(event.bodyJson.output).toEqual({
      role: "assistant",
      content: [{ type: "text", text: "Hello from the fake upstream." }],
    });
    expect(event.contextJson.metadata.ttft_ms).toBeLessThan(event.duration_ms);
  });

  it("assembles streamed tool use (input JSON in pieces) into the content blocks", async () => {
    const key = providerKey("anthropic-tools");
    const { gateway, direct, eventIds } = clients(key, { "X-Fake-Scenario": "tools" });
    const final = await gateway.messages.stream(params).finalMessage();
    expect(final).toEqual(await direct.messages.stream(params).finalMessage());
    const event = await storedEvent(project.projectId, eventIds[0]!);
    expect(event.bodyJson.output).toEqual({
      role: "assistant",
      content: [
        { type: "text", text: "Let me check." },
        { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } },
      ],
    });
    expect(event.contextJson.metadata.finish_reason).toBe("tool_use");
  });

  it.each([429, 500])("passes an upstream %i through and records Anthropic's error message", async (status) => {
    const key = providerKey(`anthropic-${status}`);
    const { gateway, direct } = clients(key, { "X-Fake-Scenario": String(status) });
    const failure = (client: Anthropic) =>
      rejection<InstanceType<typeof Anthropic.APIError>>(client.messages.create(params));
    const viaGateway = await failure(gateway);
    const straight = await failure(direct);
    expect(viaGateway.status).toBe(status);
    expect(viaGateway.error).toEqual(straight.error);
    const event = await storedEvent(project.projectId, viaGateway.headers!.get("WatchLLM-Event-Id")!);
    expect(event.status).toBe("error");
    expect(event.contextJson.metadata).toMatchObject({
      upstream_status: status,
      error: (straight.error as { error: { message: string } }).error.message,
    });
  });

  it("records an abandoned stream as `aborted` with the text that arrived", async () => {
    const key = providerKey("anthropic-abort");
    const { gateway } = clients(key, { "X-Fake-Scenario": "slow" });
    const { data: stream, response } = await gateway.messages.create({ ...params, stream: true }).withResponse();
    let text = "";
    for await (const e of stream) {
      if (e.type === "content_block_delta" && e.delta.type === "text_delta") text += e.delta.text;
      if (text.includes("tick1")) break;
    }
    await waitFor(
      () => upstreamRequests(key),
      ([r]) => r?.clientLeft === true,
    );
    const event = await storedEvent(project.projectId, response.headers.get("WatchLLM-Event-Id")!);
    expect(event.status).toBe("error");
    expect(event.contextJson.metadata.error).toBe("aborted");
    expect(event.bodyJson.output.content[0].text).toMatch(/^tick0 tick1 /);
    // Anthropic reports input usage up front: an abandoned call still has its input tokens.
    expect(event.input_tokens).toBe(18);
  });
});
