// The opt-in answer cache: a repeated non-streamed call is answered from the Cache API without calling the upstream,
// recorded at cost 0 with `cache_hit`, and the Costs API reports what the hits saved.
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import {
  base,
  newProject,
  type Project,
  providerKey,
  storedEvent,
  upstreamRequests,
  waitFor,
  watchllm,
} from "./helpers.ts";

let project: Project;
beforeAll(async () => {
  project = await newProject();
});

const messages = [{ role: "user" as const, content: "Cache me." }];

function client(key: string, headers: Record<string, string> = { "WatchLLM-Cache": "true" }) {
  return new OpenAI({
    apiKey: key,
    baseURL: `${base}/gateway/openai/v1`,
    maxRetries: 0,
    defaultHeaders: watchllm(project.ingestKey, headers),
  });
}

describe("gateway cache", () => {
  it("answers a repeated call from the cache (MISS, then HIT with one upstream call) and records the hit at cost 0", async () => {
    const key = providerKey("cache");
    const openai = client(key);
    const params = { model: "gpt-4o-mini", messages, temperature: 0 };
    const miss = await openai.chat.completions.create(params).asResponse();
    const missBody = await miss.text();
    expect(miss.headers.get("WatchLLM-Cache")).toBe("MISS");
    // The answer is stored after it has been sent, and the call's event is sent after that: once the event is in D1,
    // the cache holds the answer.
    const missEvent = await storedEvent(project.projectId, miss.headers.get("WatchLLM-Event-Id")!);
    const hit = await openai.chat.completions.create(params).asResponse();
    expect(hit.headers.get("WatchLLM-Cache")).toBe("HIT");
    expect(await hit.text()).toBe(missBody);
    expect(hit.status).toBe(200);
    expect(hit.headers.get("content-type")).toBe(miss.headers.get("content-type"));
    expect(hit.headers.get("x-request-id")).toBe(miss.headers.get("x-request-id"));
    const again = await openai.chat.completions.create(params).withResponse();
    expect(again.response.headers.get("WatchLLM-Cache")).toBe("HIT");
    expect(again.data.choices[0]!.message.content).toBe("Hello from the fake upstream.");
    expect(await upstreamRequests(key)).toHaveLength(1);

    const hitEvent = await storedEvent(project.projectId, hit.headers.get("WatchLLM-Event-Id")!);
    expect(missEvent).toMatchObject({ cost_source: "price_table", input_tokens: 12 });
    expect(missEvent.contextJson.metadata.cache_hit).toBeUndefined();
    expect(hitEvent).toMatchObject({
      type: "model_response",
      status: "ok",
      cost_usd: 0,
      cost_source: "client",
      model: "gpt-4o-mini-2024-07-18",
      input_tokens: 12,
      output_tokens: 7,
    });
    expect(hitEvent.contextJson.metadata).toMatchObject({ cache_hit: true, upstream_status: 200 });
    expect(hitEvent.bodyJson.output).toEqual(missEvent.bodyJson.output);

    // The Costs API prices each hit as the call it replaced.
    const report = await waitFor(
      async () =>
        (await (
          await fetch(`${base}/api/v1/costs?from=${Date.now() - 3_600_000}`, {
            headers: { Authorization: `Bearer ${project.secretKey}` },
          })
        )
          // biome-ignore lint/suspicious/noExplicitAny: a test reads the answer loosely
          .json()) as Record<string, any>,
      (r) => r.cache_savings?.hits === 2,
    );
    expect(report.cache_savings).toEqual({
      hits: 2,
      cost: expect.closeTo(2 * missEvent.cost_usd, 12),
      unpriced_hits: 0,
    });
    expect(report.totals.cost).toBeCloseTo(missEvent.cost_usd, 12);
  });

  it("keys the cache by provider key, body and path", async () => {
    const params = {
      model: "gpt-4o-mini",
      messages: [{ role: "user" as const, content: `Only mine ${crypto.randomUUID()}` }],
    };
    const first = providerKey("cache-a");
    const second = providerKey("cache-b");
    const warm = client(first);
    await warm.chat.completions.create(params);
    await waitFor(
      () => warm.chat.completions.create(params).asResponse(),
      (res) => res.headers.get("WatchLLM-Cache") === "HIT",
    );
    // Another provider key, another body, another endpoint: all misses.
    const other = await client(second).chat.completions.create(params).asResponse();
    expect(other.headers.get("WatchLLM-Cache")).toBe("MISS");
    const changed = await warm.chat.completions.create({ ...params, temperature: 1 }).asResponse();
    expect(changed.headers.get("WatchLLM-Cache")).toBe("MISS");
    const responses = await warm.responses
      .create({ model: "gpt-4o-mini", input: params.messages[0]!.content })
      .asResponse();
    expect(responses.headers.get("WatchLLM-Cache")).toBe("MISS");
  });

  it("never stores streamed answers or errors, and serves nothing from the cache without WatchLLM-Cache: true", async () => {
    const key = providerKey("cache-skip");
    const params = { model: "gpt-4o-mini", messages, stream: true as const };
    for (let i = 0; i < 2; i++) {
      const res = await client(key).chat.completions.create(params).asResponse();
      expect(res.headers.get("WatchLLM-Cache")).toBe("MISS");
      await res.text();
    }
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${base}/gateway/openai/v1/chat/completions`, {
        method: "POST",
        headers: {
          ...watchllm(project.ingestKey, { "WatchLLM-Cache": "true", "X-Fake-Scenario": "429" }),
          Authorization: `Bearer ${key}`,
          "Content-Type": "application/json",
        },
        body: JSON.stringify({ model: "gpt-4o-mini", messages }),
      });
      expect(res.status).toBe(429);
      expect(res.headers.get("WatchLLM-Cache")).toBe("MISS");
    }
    // A stored answer is used only when asked for.
    const cached = client(key);
    const plainParams = { model: "gpt-4o-mini", messages, temperature: 0 };
    await waitFor(
      () => cached.chat.completions.create(plainParams).asResponse(),
      (res) => res.headers.get("WatchLLM-Cache") === "HIT",
    );
    const before = (await upstreamRequests(key)).length;
    const uncached = await client(key, {}).chat.completions.create(plainParams).asResponse();
    expect(uncached.headers.get("WatchLLM-Cache")).toBeNull();
    expect(await upstreamRequests(key)).toHaveLength(before + 1);
    const log = await upstreamRequests(key);
    expect(log.filter((r) => r.scenario === "429")).toHaveLength(2);
    // Both streamed calls reached the upstream.
    expect(log.filter((r) => r.bodySha256 === log[0]!.bodySha256)).toHaveLength(2);
  });

  it("expires an answer after its WatchLLM-Cache-TTL", async () => {
    const key = providerKey("cache-ttl");
    const openai = client(key, { "WatchLLM-Cache": "true", "WatchLLM-Cache-TTL": "1" });
    const params = {
      model: "gpt-4o-mini",
      messages: [{ role: "user" as const, content: `Short-lived ${crypto.randomUUID()}` }],
    };
    const seen: string[] = [];
    await waitFor(
      async () => {
        const res = await openai.chat.completions.create(params).asResponse();
        seen.push(res.headers.get("WatchLLM-Cache")!);
        return seen;
      },
      (s) => s.includes("HIT") && s.lastIndexOf("MISS") > s.indexOf("HIT"),
    );
    expect(seen[0]).toBe("MISS");
  });
});
