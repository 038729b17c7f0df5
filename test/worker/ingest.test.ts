import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../contract/limits.ts";
import { createProject, gzip, makeEvent, postEvents, storedEvents, waitFor } from "./fixtures.ts";

async function errorOf(res: Response) {
  const body = (await res.json()) as { error: { code: string; message: string; details: unknown } };
  expect(typeof body.error.message).toBe("string");
  expect(body.error).toHaveProperty("details");
  return body.error;
}

describe("POST /api/v1/events", () => {
  it("accepts a batch with 202 and the queue consumer stores it in D1", async () => {
    const p = await createProject();
    const events = [makeEvent(), makeEvent({ type: "log", body: { message: "hi" } })];
    const res = await postEvents({ events }, { key: p.ingestKey });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 2, rejected: [] });
    const rows = await waitFor(
      () => storedEvents(p.projectId),
      (r) => r.length === 2,
    );
    expect(rows.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.event_id).sort());
    expect(JSON.parse(rows.find((r) => r.type === "log")!.body as string)).toEqual({ message: "hi" });
  });

  it("accepts a bare array and the secret key", async () => {
    const p = await createProject();
    const res = await postEvents([makeEvent()], { key: p.secretKey });
    expect(res.status).toBe(202);
    await waitFor(
      () => storedEvents(p.projectId),
      (r) => r.length === 1,
    );
  });

  it("stores the good events of a batch when one is invalid, and says which failed and why", async () => {
    const p = await createProject();
    const good = [makeEvent(), makeEvent()];
    const bad = { ...makeEvent(), type: "banana", timestamp: "yesterday" };
    const res = await postEvents({ events: [good[0], bad, good[1]] }, { key: p.ingestKey });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { accepted: number; rejected: Array<Record<string, unknown>> };
    expect(body.accepted).toBe(2);
    expect(body.rejected).toHaveLength(1);
    expect(body.rejected[0]).toMatchObject({ index: 1, event_id: bad.event_id, code: "invalid_event" });
    expect(body.rejected[0]!.message).toMatch(/type/);
    expect(body.rejected[0]!.message).toMatch(/timestamp/);
    const rows = await waitFor(
      () => storedEvents(p.projectId),
      (r) => r.length === 2,
    );
    expect(rows.map((r) => r.event_id).sort()).toEqual(good.map((e) => e.event_id).sort());
  });

  it("normalizes ISO-8601 and epoch-ms timestamps, and rejects epoch seconds", async () => {
    const p = await createProject();
    const iso = makeEvent({ timestamp: "2026-01-02T03:04:05.678+01:00" });
    const ms = makeEvent({ timestamp: 1_767_000_000_123 });
    const seconds = makeEvent({ timestamp: 1_767_000_000 });
    const old = makeEvent({ timestamp: "1999-12-31T00:00:00Z" });
    const res = await postEvents([iso, ms, seconds, old], { key: p.ingestKey });
    const body = (await res.json()) as { rejected: Array<{ index: number; message: string }> };
    expect(body.rejected.map((r) => r.index)).toEqual([2, 3]);
    expect(body.rejected[0]!.message).toMatch(/milliseconds/);
    // A date before 2000 is just that (it read "a number this small looks like seconds").
    expect(body.rejected[1]!.message).toMatch(/from 2000 on/);
    expect(body.rejected[1]!.message).not.toMatch(/seconds/);
    const rows = await waitFor(
      () => storedEvents(p.projectId),
      (r) => r.length === 2,
    );
    const byId = Object.fromEntries(rows.map((r) => [r.event_id, r.ts]));
    expect(byId[iso.event_id]).toBe(Date.parse("2026-01-02T02:04:05.678Z"));
    expect(byId[ms.event_id]).toBe(1_767_000_000_123);
  });

  it("stores model usage, cost and context fields in their columns", async () => {
    const p = await createProject();
    const event = makeEvent({
      type: "model_response",
      model: "gpt-4o",
      provider: "openai",
      usage: { input_tokens: 120, output_tokens: 30, cached_input_tokens: 100, cache_write_tokens: 0 },
      cost_usd: 0.0012,
      context: { user_id: "u1", session_id: "s1", tags: ["prod"], metadata: { plan: "pro" } },
      body: { input: [{ role: "user", content: "hi" }], output: "hello" },
    });
    await postEvents([event], { key: p.ingestKey });
    const [row] = await waitFor(
      () => storedEvents(p.projectId),
      (r) => r.length === 1,
    );
    expect(row).toMatchObject({
      model: "gpt-4o",
      provider: "openai",
      input_tokens: 120,
      output_tokens: 30,
      cached_input_tokens: 100,
      cache_write_tokens: 0,
      cost_usd: 0.0012,
      cost_source: "client",
      user_id: "u1",
      session_id: "s1",
      status: "ok",
    });
    expect(JSON.parse(row!.context as string)).toEqual(event.context);
  });

  it("maps a provider's usage object as sent, and names the provider from the API host when the event has none", async () => {
    const p = await createProject();
    const call = (usage: Record<string, unknown>, more: Record<string, unknown>) =>
      makeEvent({ type: "model_response", usage, ...more });
    const events = [
      call(
        { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19, prompt_tokens_details: { cached_tokens: 4 } },
        { model: "llama-3.1-8b-instant", api_host: "api.groq.com" },
      ),
      call(
        { input_tokens: 5, output_tokens: 1, cache_read_input_tokens: 7, cache_creation_input_tokens: 2 },
        { model: "claude-3-5-sonnet", api_host: "127.0.0.1" },
      ),
      call(
        { promptTokenCount: 8, candidatesTokenCount: 2 },
        { model: "my-model", api_host: "api.groq.com", provider: "mine" },
      ),
      call({ input_tokens: 1.5, output_tokens: 1 }, { model: "gpt-4o" }),
      call({ prompt_eval_count: 3, eval_count: 2 }, { model: "llama3", api_host: "127.0.0.1" }),
    ];
    const res = await postEvents(events, { key: p.ingestKey });
    expect(((await res.json()) as { rejected: { index: number; message: string }[] }).rejected).toMatchObject([
      { index: 3, message: expect.stringContaining("usage.input_tokens") },
    ]);
    const rows = await waitFor(
      () => storedEvents(p.projectId),
      (r) => r.length === 4,
    );
    const byId = (i: number) => rows.find((r) => r.event_id === events[i]!.event_id);
    expect(byId(0)).toMatchObject({ provider: "groq", input_tokens: 12, output_tokens: 7, cached_input_tokens: 4 });
    expect(byId(1)).toMatchObject({
      provider: "anthropic",
      input_tokens: 14,
      output_tokens: 1,
      cached_input_tokens: 7,
      cache_write_tokens: 2,
    });
    expect(byId(2)).toMatchObject({ provider: "mine", input_tokens: 8, output_tokens: 2 });
    // A usage object of no known shape costs the usage, never the call.
    expect(byId(4)).toMatchObject({ model: "llama3", input_tokens: null, output_tokens: null });
  });

  it("takes the project from the key, never from the body", async () => {
    const a = await createProject();
    const b = await createProject();
    const event = makeEvent({ project_id: b.projectId });
    await postEvents({ events: [event], project_id: b.projectId }, { key: a.ingestKey });
    await waitFor(
      () => storedEvents(a.projectId),
      (r) => r.length === 1,
    );
    expect(await storedEvents(b.projectId)).toHaveLength(0);
  });

  it("is idempotent: the same batch sent twice is stored once", async () => {
    const p = await createProject();
    const events = [makeEvent(), makeEvent()];
    await postEvents(events, { key: p.ingestKey });
    await waitFor(
      () => storedEvents(p.projectId),
      (r) => r.length === 2,
    );
    // The repeat travels with a new event in one queue message: once that one is stored, the repeat was handled.
    const marker = makeEvent();
    await postEvents([...events, marker], { key: p.ingestKey });
    const rows = await waitFor(
      () => storedEvents(p.projectId),
      (r) => r.some((e) => e.event_id === marker.event_id),
    );
    expect(rows).toHaveLength(3);
  });

  it("rejects an event whose context is too large, keeping the rest", async () => {
    const p = await createProject();
    const res = await postEvents(
      [makeEvent({ context: { metadata: { blob: "y".repeat(LIMITS.maxContextBytes) } } }), makeEvent()],
      { key: p.ingestKey },
    );
    const body = (await res.json()) as { accepted: number; rejected: Array<{ code: string }> };
    expect(body.accepted).toBe(1);
    expect(body.rejected[0]!.code).toBe("event_too_large");
  });

  it("splits a large batch across queue messages and stores all of it", async () => {
    const p = await createProject();
    const events = Array.from({ length: 300 }, () => makeEvent({ body: { input: "z".repeat(2000) } }));
    const res = await postEvents(events, { key: p.ingestKey });
    expect(res.status).toBe(202);
    await waitFor(
      () => storedEvents(p.projectId),
      (r) => r.length === 300,
    );
  });

  it("accepts sendBeacon posts: text/plain JSON with the key in the query or the body", async () => {
    const p = await createProject();
    const viaQuery = await postEvents([makeEvent()], {
      headers: { "Content-Type": "text/plain;charset=UTF-8" },
      query: `?api_key=${p.ingestKey}`,
    });
    expect(viaQuery.status).toBe(202);
    const viaBody = await postEvents(
      { api_key: p.ingestKey, events: [makeEvent()] },
      {
        headers: { "Content-Type": "text/plain;charset=UTF-8" },
      },
    );
    expect(viaBody.status).toBe(202);
    await waitFor(
      () => storedEvents(p.projectId),
      (r) => r.length === 2,
    );
  });

  it("accepts a gzip-compressed batch (Content-Encoding: gzip)", async () => {
    const p = await createProject();
    const events = [makeEvent(), makeEvent({ body: { input: "compressed ".repeat(500) } })];
    const res = await postEvents(await gzip(JSON.stringify({ events })), {
      key: p.ingestKey,
      headers: { "Content-Encoding": "gzip" },
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 2, rejected: [] });
    await waitFor(
      () => storedEvents(p.projectId),
      (r) => r.length === 2,
    );
  });

  it("counts the size limit after decompression, refuses broken gzip and unknown encodings", async () => {
    const p = await createProject();
    // ~4.2 MB of JSON that gzips to a few KB: a bomb must be refused, not inflated.
    const bomb = await gzip(
      JSON.stringify([makeEvent({ body: { input: "a".repeat(LIMITS.maxRequestBytes + 200_000) } })]),
    );
    expect(bomb.byteLength).toBeLessThan(50_000);
    const big = await postEvents(bomb, { key: p.ingestKey, headers: { "Content-Encoding": "gzip" } });
    expect(big.status).toBe(413);
    expect((await errorOf(big)).code).toBe("payload_too_large");
    const broken = await postEvents(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3]), {
      key: p.ingestKey,
      headers: { "Content-Encoding": "gzip" },
    });
    expect(broken.status).toBe(400);
    expect((await errorOf(broken)).code).toBe("invalid_body");
    const brotli = await postEvents("[]", { key: p.ingestKey, headers: { "Content-Encoding": "br" } });
    expect(brotli.status).toBe(415);
    expect((await errorOf(brotli)).code).toBe("unsupported_encoding");
  });

  it("answers CORS preflights so browsers can send events", async () => {
    const res = await SELF.fetch("https://watchllm.test/api/v1/events", {
      method: "OPTIONS",
      headers: {
        Origin: "https://app.example.com",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
      },
    });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(res.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("authorization");
  });

  describe("whole-request errors", () => {
    it("401 without a key, with an unknown key, and with a revoked key", async () => {
      const p = await createProject();
      const missing = await postEvents([makeEvent()]);
      expect(missing.status).toBe(401);
      expect((await errorOf(missing)).code).toBe("missing_api_key");
      const unknown = await postEvents([makeEvent()], { key: "wl_ingest_nope" });
      expect(unknown.status).toBe(401);
      expect((await errorOf(unknown)).code).toBe("invalid_api_key");
      await env.DB.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ?").bind(Date.now(), p.ingestKeyId).run();
      const revoked = await postEvents([makeEvent()], { key: p.ingestKey });
      expect(revoked.status).toBe(401);
      expect((await errorOf(revoked)).code).toBe("revoked_api_key");
    });

    it("400 for malformed JSON, a wrong shape, an empty batch, and a batch with no valid event", async () => {
      const p = await createProject();
      const cases: Array<[unknown, string]> = [
        ["{not json", "invalid_json"],
        [{ events: "nope" }, "invalid_request"],
        [{ events: [] }, "empty_batch"],
        [[{ hello: "world" }], "invalid_request"],
      ];
      for (const [body, code] of cases) {
        const res = await postEvents(body, { key: p.ingestKey });
        expect(res.status).toBe(400);
        expect((await errorOf(res)).code).toBe(code);
      }
    });

    it("413 for too many events and for a body over the size limit", async () => {
      const p = await createProject();
      const many = await postEvents(
        Array.from({ length: LIMITS.maxEventsPerRequest + 1 }, () => makeEvent()),
        {
          key: p.ingestKey,
        },
      );
      expect(many.status).toBe(413);
      expect(await errorOf(many)).toMatchObject({
        code: "too_many_events",
        details: { max_events: 1000, received: 1001 },
      });
      const big = await postEvents([makeEvent({ body: { input: "q".repeat(LIMITS.maxRequestBytes) } })], {
        key: p.ingestKey,
      });
      expect(big.status).toBe(413);
      expect((await errorOf(big)).code).toBe("payload_too_large");
    });

    it("404s unknown API routes with the JSON error shape", async () => {
      const res = await SELF.fetch("https://watchllm.test/api/v1/nope");
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe("not_found");
    });
  });
});
