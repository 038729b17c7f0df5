// Ported from langfuse/langfuse: worker/src/__tests__/processEventBatch.test.ts (answers), the route
// web/src/pages/api/public/ingestion.ts (method, size, envelope), and the zod schemas of
// packages/shared/src/server/ingestion/types.ts (what an item may carry: ids, times, usage, cost, limits), each case
// what Langfuse accepts or refuses, sent as an item and read back.
import { describe, expect, it } from "vitest";
import { asObservation, asTrace, langfuseProject, now, uuid } from "./helpers.ts";

const item = (type: string, body: Record<string, unknown>, timestamp: unknown = now()) => ({
  id: uuid(),
  type,
  timestamp,
  body,
});

describe("Langfuse worker/src/__tests__/processEventBatch.test.ts", () => {
  it("returns early on empty input", async () => {
    const p = await langfuseProject();
    const res = await p.post({ batch: [] });
    expect(res.status).toBe(207);
    expect(res.body).toEqual({ successes: [], errors: [] });
  });

  it("answers each accepted item with 201 (request attribution: no equivalent)", async () => {
    const p = await langfuseProject();
    const timestamp = "2024-10-12T12:13:14.123Z";
    const res = await p.post({
      batch: [
        {
          id: "event-id",
          timestamp,
          type: "trace-create",
          body: { id: "trace-id", timestamp, name: "trace", environment: "default" },
        },
      ],
    });
    expect(res.body).toEqual({ successes: [{ id: "event-id", status: 201 }], errors: [] });
  });
});

describe("Langfuse web/src/pages/api/public/ingestion.ts", () => {
  it("answers GET with 405", async () => {
    const p = await langfuseProject();
    expect((await p.post(undefined, { method: "GET" })).status).toBe(405);
  });

  it("refuses a body that is not a batch with 400", async () => {
    const p = await langfuseProject();
    expect((await p.post({ items: [] })).status).toBe(400);
  });

  it("takes bodies up to 4.5 MB (Next's sizeLimit) and refuses larger ones with 413", async () => {
    const p = await langfuseProject();
    const traceId = uuid();
    const items = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        item("span-create", { id: `s-${i}`, traceId, startTime: now(), input: "x".repeat(400_000) }),
      );
    const ok = await p.post({ batch: items(11) });
    expect(ok.status).toBe(207);
    expect(ok.body.successes).toHaveLength(11);
    expect((await p.post({ batch: items(12) })).status).toBe(413);
    await p.trace(traceId, (t) => t.events.length === 11);
  });

  it("takes more than 1,000 items in one request", async () => {
    const p = await langfuseProject();
    const traceId = uuid();
    const batch = Array.from({ length: 1_200 }, (_, i) =>
      item("event-create", { id: `e-${i}`, traceId, name: "tick" }),
    );
    const res = await p.post({ batch });
    expect(res.body.successes).toHaveLength(1_200);
    await p.trace(traceId, (t) => t.trace.span_count === 1_200);
  });
});

describe("Langfuse packages/shared/src/server/ingestion/types.ts", () => {
  describe("ids (idSchema: 1–800 characters, no \\r)", () => {
    it("stores ids up to 800 characters under bounded ids, without collisions, read back by the id sent", async () => {
      const p = await langfuseProject();
      const long = `litellm-${"m".repeat(600)}`;
      const [traceId, a, b] = [`${long}-trace`, `${long}-a`, `${long}-b`.padEnd(800, "z")];
      const res = await p.post({
        batch: [
          item("trace-create", { id: traceId, name: "t" }),
          item("span-create", { id: a, traceId, name: "a", startTime: now() }),
          item("span-create", { id: b, traceId, parentObservationId: a, name: "b", startTime: now() }),
        ],
      });
      expect(res.body.errors).toEqual([]);
      const t = await p.trace(traceId, (t) => t.events.length === 3);
      expect(new Set(t.events.map((e: { event_id: string }) => e.event_id)).size).toBe(3);
      const eb = await p.event(traceId, b);
      expect(eb.name).toBe("b");
      expect(eb.body.langfuse).toMatchObject({ id: b, trace_id: traceId, parent_observation_id: a });
      expect(eb.parent_event_id).toBe((await p.event(traceId, a)).event_id);
      expect((await p.event(traceId, traceId)).body.langfuse.id).toBe(traceId);
    });

    it("refuses an id of 801 characters, only that item", async () => {
      const p = await langfuseProject();
      const traceId = uuid();
      const res = await p.post({
        batch: [
          item("trace-create", { id: traceId }),
          item("span-create", { id: "x".repeat(801), traceId, startTime: now() }),
        ],
      });
      expect(res.body.successes).toHaveLength(1);
      expect(res.body.errors).toHaveLength(1);
      await p.event(traceId, traceId);
    });

    it("takes control characters other than \\r in ids, and stores the valid siblings (issue 22, finding 7)", async () => {
      const p = await langfuseProject();
      const traceId = uuid();
      const res = await p.post({
        batch: [
          item("trace-create", { id: traceId, name: "t" }),
          item("span-create", { id: "bad\nid", traceId, name: "newline", startTime: now() }),
          item("span-create", { id: "y".repeat(129), traceId, name: "long", startTime: now() }),
          item("span-create", { id: "ok", traceId, name: "ok", startTime: now() }),
          item("span-create", { id: "bad\rid", traceId, name: "cr", startTime: now() }),
        ],
      });
      expect(res.body.successes).toHaveLength(4);
      expect(res.body.errors).toEqual([
        expect.objectContaining({
          status: 400,
          message: "Invalid request data",
          error: expect.stringContaining("carriage return"),
        }),
      ]);
      await p.trace(traceId, (t) => t.events.length === 4);
      expect((await p.event(traceId, "bad\nid")).name).toBe("newline");
    });

    it('reports an item without a string id as "unknown"', async () => {
      const p = await langfuseProject();
      const res = await p.post({ batch: [{ type: "trace-create", timestamp: now(), body: { id: uuid() } }] });
      expect(res.body.errors).toEqual([
        expect.objectContaining({ id: "unknown", status: 400, message: "Invalid request data" }),
      ]);
    });
  });

  describe("times (an item's timestamp is required ISO-8601; a body's times fall back to it)", () => {
    it("refuses an item without a timestamp, or with an epoch number", async () => {
      const p = await langfuseProject();
      const res = await p.post({
        batch: [
          { id: "none", type: "trace-create", body: { id: uuid() } },
          { id: "epoch", type: "trace-create", timestamp: Date.now(), body: { id: uuid() } },
          item("trace-create", { id: uuid(), timestamp: Date.now() }),
        ],
      });
      expect(res.body.successes).toEqual([]);
      expect(res.body.errors).toHaveLength(3);
    });

    it("stores a trace without a body timestamp, and an observation without startTime, at the item's time", async () => {
      const p = await langfuseProject();
      const traceId = uuid();
      const at = "2026-02-03T04:05:06.789Z";
      await p.post({
        batch: [item("trace-create", { id: traceId }, at), item("span-create", { id: "s", traceId }, at)],
      });
      const t = await p.trace(traceId, (t) => t.events.length === 2);
      expect(t.events.map((e: { timestamp: number }) => e.timestamp)).toEqual([Date.parse(at), Date.parse(at)]);
    });

    it("stores an update that never gets its create, at the update's time", async () => {
      const p = await langfuseProject();
      const traceId = uuid();
      await p.post({ batch: [item("generation-update", { id: "g", traceId, output: "late" })] });
      expect(asObservation(await p.event(traceId, "g")).output).toBe("late");
    });
  });

  describe("observations", () => {
    it("takes updates without traceId, folded into the observation of that id", async () => {
      const p = await langfuseProject();
      const traceId = uuid();
      await p.post({ batch: [item("span-create", { id: "s", traceId, name: "first", startTime: now() })] });
      await p.event(traceId, "s");
      await p.post({ batch: [item("span-update", { id: "s", name: "renamed", output: "done" }, now(5))] });
      const o = asObservation(await p.event(traceId, "s", (e) => e.name === "renamed"));
      expect(o).toMatchObject({ traceId, output: "done" });
    });

    it("refuses promptName without promptVersion, nested modelParameters, and sdk-log without log", async () => {
      const p = await langfuseProject();
      const traceId = uuid();
      const res = await p.post({
        batch: [
          item("generation-create", { id: "a", traceId, promptName: "p" }),
          item("generation-create", { id: "b", traceId, modelParameters: { nested: { deep: { x: 1 } } } }),
          item("sdk-log", {}),
          item("generation-create", { id: "c", traceId, promptName: "p", promptVersion: 2 }),
          item("sdk-log", { log: "hello" }),
        ],
      });
      expect(res.body.successes).toHaveLength(2);
      expect(res.body.errors).toHaveLength(3);
    });

    it("keeps good usage and cost values and drops bad ones (null, negative, fractional, text)", async () => {
      const p = await langfuseProject();
      const traceId = uuid();
      const res = await p.post({
        batch: [
          item("generation-create", {
            id: "g",
            traceId,
            startTime: now(),
            model: "gpt-4o-mini",
            output: "kept",
            endTime: now(10),
            usageDetails: {
              input: "12",
              output: 30,
              cached: 4,
              reasoning: 6,
              bad: -1,
              frac: 0.5,
              none: null,
              custom: 7,
            },
            costDetails: { input: 0.001, output: null, neg: -3, total: 0.004 },
          }),
        ],
      });
      expect(res.body.errors).toEqual([]);
      const e = await p.event(traceId, "g");
      expect(asObservation(e).usageDetails).toEqual({
        input: 12,
        output: 30,
        cached: 4,
        reasoning: 6,
        custom: 7,
        total: 59,
      });
      expect(asObservation(e).costDetails).toEqual({ input: 0.001, total: 0.004 });
      expect(e).toMatchObject({ input_tokens: 16, cached_input_tokens: 4, output_tokens: 36, cost_usd: 0.004 });
      expect(e.body.output).toBe("kept");
    });

    it("takes OpenAI-shaped usageDetails", async () => {
      const p = await langfuseProject();
      const traceId = uuid();
      await p.post({
        batch: [
          item("generation-create", {
            id: "g",
            traceId,
            startTime: now(),
            usageDetails: {
              prompt_tokens: 5,
              completion_tokens: 11,
              total_tokens: 16,
              prompt_tokens_details: { cached_tokens: 2, audio_tokens: null },
              completion_tokens_details: { reasoning_tokens: 4 },
            },
          }),
        ],
      });
      const e = await p.event(traceId, "g");
      expect(asObservation(e).usageDetails).toEqual({
        input: 3,
        output: 7,
        total: 16,
        input_cached_tokens: 2,
        output_reasoning_tokens: 4,
      });
      expect(e).toMatchObject({ input_tokens: 5, cached_input_tokens: 2, output_tokens: 11 });
    });

    it("keeps usage that has only a total", async () => {
      const p = await langfuseProject();
      const traceId = uuid();
      await p.post({
        batch: [
          item("generation-create", { id: "g", traceId, startTime: now(), usage: { total: 100, unit: "CHARACTERS" } }),
        ],
      });
      expect(asObservation(await p.event(traceId, "g")).usageDetails).toEqual({ total: 100 });
    });

    it("takes names over 256 characters, more than 50 tags, tags over 64 characters and long session ids", async () => {
      const p = await langfuseProject();
      const traceId = uuid();
      const tags = Array.from({ length: 60 }, (_, i) => `tag-${i}`).concat("t".repeat(100));
      const sessionId = "s".repeat(300);
      const res = await p.post({
        batch: [
          item("trace-create", { id: traceId, name: "n".repeat(900), tags, sessionId }),
          item("span-create", { id: "s", traceId, name: "o".repeat(2_000), startTime: now() }),
        ],
      });
      expect(res.body.errors).toEqual([]);
      const root = await p.event(traceId, traceId);
      expect(root.body.langfuse.name).toBe("n".repeat(900));
      expect(root.body.langfuse.tags).toEqual(tags);
      expect(root.session_id).toMatch(/^s+~[0-9a-f]{32}$/);
      expect((await p.event(traceId, "s")).body.langfuse.name).toHaveLength(2_000);
    });
  });

  describe("payloads", () => {
    it("keeps a 900 KB input whole (R2, like native events)", async () => {
      const p = await langfuseProject();
      const traceId = uuid();
      const input = "i".repeat(900_000);
      const res = await p.post({
        batch: [
          item("generation-create", { id: "g", traceId, startTime: now(), input }),
          item("generation-update", { id: "g", traceId, output: "o".repeat(50_000), endTime: now(10) }),
        ],
      });
      expect(res.body.errors).toEqual([]);
      const e = await p.event(traceId, "g", (e) => e.body?.output !== undefined);
      expect(e.body.input).toHaveLength(900_000);
      expect(e.body.output).toHaveLength(50_000);
      expect(e.truncated).toBe(false);
    });

    it("answers a 100,000-level input (issue 22, finding 13) and keeps the item and its siblings", async () => {
      const p = await langfuseProject();
      const traceId = uuid();
      const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
      const raw = `{"batch":[${JSON.stringify(item("trace-create", { id: traceId, name: "deep" })).replace(
        '"name":"deep"',
        `"name":"deep","input":${deep}`,
      )},${JSON.stringify(item("span-create", { id: "s", traceId, startTime: now() }))}]}`;
      const res = await p.post(undefined, { raw });
      expect(res.status).toBe(207);
      expect(res.body.successes).toHaveLength(2);
      await p.trace(traceId, (t) => t.events.length === 2);
    });
  });

  describe("read back", () => {
    it("puts environment and release on the context, completionStartTime as first_token_ms, the rest in body.langfuse", async () => {
      const p = await langfuseProject();
      const traceId = uuid();
      const start = "2026-03-01T10:00:00.000Z";
      const res = await p.post({
        batch: [
          item("trace-create", { id: traceId, environment: "Production", release: "v1.2.3", version: "7" }),
          item("generation-create", {
            id: "g",
            traceId,
            startTime: start,
            completionStartTime: "2026-03-01T10:00:00.250Z",
            endTime: "2026-03-01T10:00:01.000Z",
            environment: "staging",
            level: "WARNING",
            statusMessage: "slow",
            version: "v2",
            modelParameters: { temperature: 0.2 },
            metadata: ["not", "an", "object"],
          }),
        ],
      });
      expect(res.body.errors).toEqual([]);
      const root = await p.event(traceId, traceId);
      expect(root.context).toMatchObject({ environment: "production", release: "v1.2.3" });
      expect(root.body.langfuse.version).toBe("7");
      const g = await p.event(traceId, "g");
      expect(g.context).toMatchObject({ environment: "staging" });
      expect(g.body.langfuse).toMatchObject({
        level: "WARNING",
        status_message: "slow",
        version: "v2",
        model_parameters: { temperature: 0.2 },
        completion_start_time: "2026-03-01T10:00:00.250Z",
      });
      expect(g.body.metadata).toEqual({ metadata: ["not", "an", "object"] });
    });

    it("finds text sent pre-escaped as \\uXXXX (web/src/__tests__/server/multilingual-fulltext-search.servertest.ts)", async () => {
      const p = await langfuseProject();
      const traceId = uuid();
      const escaped = JSON.stringify({ zh: "你好，今天我能帮你什么？" }).replace(
        /[\u0080-\uffff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
      );
      await p.post({ batch: [item("trace-create", { id: traceId, name: "multilingual", input: escaped })] });
      await p.event(traceId, traceId);
      const found = await p.read(`/api/v1/traces?q=${encodeURIComponent("你好")}`);
      expect(found.body.traces.map((t: { trace_id: string }) => t.trace_id)).toContain(traceId);
    });
  });
});

describe("issue 22, finding 6: a Langfuse update never rewrites a native event", () => {
  it("leaves a stored native model_response as it was", async () => {
    const p = await langfuseProject();
    const { SELF } = await import("cloudflare:test");
    const traceId = uuid();
    const native = {
      event_id: "native-1",
      trace_id: traceId,
      type: "model_response",
      name: "llm",
      timestamp: Date.now(),
      model: "gpt-4o-mini",
      usage: { input_tokens: 10, output_tokens: 5 },
    };
    const sent = await SELF.fetch("https://watchllm.test/api/v1/events", {
      method: "POST",
      headers: { Authorization: `Bearer ${p.ingestKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ events: [native] }),
    });
    expect(sent.status).toBe(202);
    await p.event(traceId, "native-1");
    await p.post({
      batch: [
        item("span-update", { id: "native-1", traceId, name: "rewritten", startTime: now() }),
        item("span-create", { id: "marker", traceId, name: "marker", startTime: now() }),
      ],
    });
    await p.trace(traceId, (t) => t.events.length === 2);
    expect(await p.event(traceId, "native-1")).toMatchObject({
      type: "model_response",
      name: "llm",
      model: "gpt-4o-mini",
      input_tokens: 10,
    });
    expect(asTrace(await p.event(traceId, "marker")).name).toBe("marker");
  });
});

describe("deleting a Langfuse trace", () => {
  it("deletes the R2 objects of its large item bodies too, including an update's without traceId", async () => {
    const p = await langfuseProject();
    const { SELF, env } = await import("cloudflare:test");
    const traceId = uuid();
    await p.post({
      batch: [
        item("trace-create", { id: traceId, name: "doomed" }),
        item("generation-create", { id: "g", traceId, startTime: now(), input: "i".repeat(100_000) }),
        item("generation-update", { id: "g", output: "o".repeat(100_000), endTime: now(10) }),
      ],
    });
    await p.event(traceId, "g", (e) => e.body?.output !== undefined);
    const objects = async () => (await env.BODIES.list({ prefix: `${p.projectId}/` })).objects.length;
    expect(await objects()).toBeGreaterThanOrEqual(3);
    const res = await SELF.fetch(`https://watchllm.test/api/v1/traces/${traceId}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${p.secretKey}` },
    });
    expect(res.status).toBe(200);
    expect(await objects()).toBe(0);
  });
});
