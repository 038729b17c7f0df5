// Delivery guarantees under faults: every event arrives (exactly once per event_id, duplicates only from retries),
// retries only what should be retried, honours Retry-After, survives an outage, never throws into user code.
import { describe, expect, it } from "vitest";
import { createClient } from "../../sdk/js/src/index.ts";
import { tenant, until } from "./helpers.ts";

/** Records `n` log events on one trace. */
function record(client: ReturnType<typeof createClient>, n: number) {
  const trace = client.trace({ name: "load", userId: "u1" });
  for (let i = 0; i < n; i++) trace.log(`event ${i}`, { i });
  trace.end();
  return n + 1;
}

describe("delivery", () => {
  it("delivers every event once, in batches of flushAt, with the trace's structure", async () => {
    const t = await tenant();
    const client = t.client({ flushAt: 10 });
    const sent = record(client, 24);
    await client.flush();
    const { counts, requests } = await t.received();
    expect(Object.keys(counts)).toHaveLength(sent);
    expect(Object.values(counts).every((c) => c === 1)).toBe(true);
    expect(requests).toHaveLength(3);
    expect(t.errors).toEqual([]);
  });

  it("loses nothing under random 500s, dropped connections, lost acks and hangs", async () => {
    const t = await tenant({ error500: 0.15, dropBefore: 0.1, dropAfter: 0.1, hang: 0.05 });
    const client = t.client({ flushAt: 20, maxRetries: 3 });
    const sent = record(client, 400);
    for (let i = 0; i < 40 && client.queued; i++) await client.flush();
    const { counts, statuses } = await t.received();
    expect(client.queued).toBe(0);
    expect(Object.keys(counts)).toHaveLength(sent);
    expect(statuses.some((s) => s !== "202")).toBe(true); // the faults really happened
    // Duplicates only where an ack was lost (the server stored the batch, then dropped the connection).
    const duplicated = Object.values(counts).filter((c) => c > 1).length;
    expect(duplicated === 0 || statuses.includes("stored-then-dropped")).toBe(true);
  });

  it("waits as long as Retry-After says on 429", async () => {
    const t = await tenant({ tooMany: 1, retryAfterSeconds: 1 });
    const client = t.client({ maxRetries: 2 });
    record(client, 1);
    const flushed = client.flush();
    await until(async () => (await t.received()).requests.length === 1);
    await t.setFaults({});
    await flushed;
    const { requests, counts } = await t.received();
    expect(requests.length).toBe(2);
    expect(requests[1]! - requests[0]!).toBeGreaterThanOrEqual(950);
    expect(Object.keys(counts)).toHaveLength(2);
  });

  it("keeps the batch for a later flush, without waiting, when Retry-After is past a minute (a used-up quota)", async () => {
    const t = await tenant({ tooMany: 1, retryAfterSeconds: 2_000_000 });
    const client = t.client({ maxRetries: 3 });
    const sent = record(client, 2);
    await client.flush();
    const { requests } = await t.received();
    expect(requests.length).toBe(1);
    expect(client.queued).toBe(sent);
    expect(t.errors.map((e) => e.code)).toEqual(["http_429"]);
    expect(t.errors[0]!.message).toContain("retry after 2000000 s");
    await t.setFaults({});
    await client.flush();
    expect(client.queued).toBe(0);
  });

  it("keeps events through an outage of several seconds and sends them afterwards", async () => {
    const t = await tenant({ outageUntil: Date.now() + 2_500 });
    const client = t.client({ maxRetries: 2, flushIntervalMs: 200 });
    const sent = record(client, 30);
    await client.flush();
    expect(client.queued).toBe(sent); // given back to the queue, not lost
    expect(t.errors.some((e) => e.code === "network")).toBe(true);
    await until(() => client.queued === 0);
    expect(Object.keys((await t.received()).counts)).toHaveLength(sent);
  });

  it("reports invalid events and other 4xx answers without retrying them", async () => {
    const t = await tenant();
    const client = t.client();
    const trace = client.trace({ name: "x" });
    trace.modelResponse({ model: "gpt-4o", usage: { input_tokens: 1, output_tokens: 1 } });
    trace.end();
    await client.flush();
    const bad = createClient({
      apiKey: "wl_ingest_wrong",
      baseUrl: t.base,
      backoffMs: 10,
      onError: (e) => t.errors.push(e),
    });
    bad.trace({ name: "refused" }).end();
    await bad.flush();
    expect(bad.queued).toBe(0);
    expect(t.errors.map((e) => e.code)).toEqual(["http_401"]);
    const { requests } = await t.received();
    expect(requests).toHaveLength(2); // one each, no retries
  });

  it("drops the oldest events beyond maxQueueSize and says so", async () => {
    const t = await tenant({ outageUntil: Date.now() + 60_000 });
    const client = t.client({ maxQueueSize: 10, flushAt: 1000, flushIntervalMs: 60_000 });
    record(client, 14);
    expect(client.queued).toBe(10);
    expect(t.errors.filter((e) => e.code === "dropped").length).toBeGreaterThan(0);
  });

  it("is a no-op when disabled or without a key, and never throws into user code", async () => {
    let calls = 0;
    const counting = (() => {
      calls++;
      return Promise.reject(new Error("boom"));
    }) as unknown as typeof fetch;
    for (const client of [
      createClient({ apiKey: "wl_ingest_test", enabled: false, fetch: counting }),
      createClient({ fetch: counting }),
    ]) {
      const trace = client.trace({ name: "quiet" });
      trace.span({ name: "child" }).end();
      trace.error(new Error("x"));
      trace.end();
      expect(client.queued).toBe(0);
      await client.shutdown();
    }
    expect(calls).toBe(0);
    const throwing = createClient({
      apiKey: "wl_ingest_test",
      baseUrl: "http://127.0.0.1:9",
      backoffMs: 1,
      maxRetries: 1,
      fetch: (() => {
        throw new Error("sync");
      }) as unknown as typeof fetch,
      onError: () => {
        throw new Error("handler");
      },
    });
    throwing.trace({ name: "t" }).end();
    await expect(throwing.flush()).resolves.toBeUndefined();
  });
});
