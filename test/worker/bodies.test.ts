// Large bodies live in R2 (the BODIES bucket), D1 keeping a preview, the size, the hash and the pointer. Every read path
// follows the pointer; a missing object is reported, never a 500; redelivery is harmless; search reads the preview.
import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BODY_LIMITS, LIMITS } from "../../contract/limits.ts";
import type { EventAnswer, TraceAnswer, TraceExport } from "../../contract/traces.ts";
import { bodyPrefix, eventBodyPrefix, traceBodyPrefix } from "../../src/db/bodies.ts";
import { dataDatabases } from "../../src/db/shards.ts";
import worker from "../../src/index.ts";
import { validateEvents } from "../../src/ingest/validate.ts";
import { createProject, dataOf, deliver, makeEvent, postEvents, read, storedEvents, waitFor } from "./fixtures.ts";

type Row = { body: string | null; body_ref: string | null; body_bytes: number | null; body_sha256: string | null };

async function row(projectId: string, eventId: string) {
  return (await (
    await dataOf(projectId)
  )
    .prepare(
      "SELECT body, body_ref, body_bytes, body_sha256, truncated FROM events WHERE project_id = ? AND event_id = ?",
    )
    .bind(projectId, eventId)
    .first<Row & { truncated: number }>())!;
}

const hex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
const sha256 = async (text: string) => hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));

/** A prompt of `kb` kilobytes that is not one repeated letter (so nothing can cheat by compressing it). */
const prompt = (kb: number) =>
  Array.from({ length: Math.ceil((kb * 1024) / 25) }, (_, i) => `line ${i}: the quick brown fox ${i % 97}\n`)
    .join("")
    .slice(0, kb * 1024);

const objectsOf = async (projectId: string) =>
  (await env.BODIES.list({ prefix: bodyPrefix(projectId) })).objects.map((o) => o.key);

describe("bodies in R2", () => {
  it("stores a 900 KB prompt whole and reads it back byte-identical, with a small D1 row", async () => {
    const p = await createProject();
    const body = {
      input: [
        { role: "system", content: "You answer from the documents." },
        { role: "user", content: prompt(900) },
      ],
      output: "The answer.",
    };
    const event = makeEvent({ type: "model_response", model: "gpt-4o", body });
    const res = await postEvents([event], { key: p.ingestKey });
    expect(res.status).toBe(202);
    await waitFor(
      () => storedEvents(p.projectId),
      (r) => r.length === 1,
    );
    const stored = await row(p.projectId, event.event_id);
    const json = JSON.stringify(body);
    expect(stored.truncated).toBe(0);
    expect(stored.body_bytes).toBe(new TextEncoder().encode(json).byteLength);
    expect(stored.body_bytes).toBeGreaterThan(900 * 1024);
    expect(stored.body_sha256).toBe(await sha256(json));
    expect(new TextEncoder().encode(stored.body!).byteLength).toBeLessThan(3 * BODY_LIMITS.previewChars + 100);
    expect(await (await env.BODIES.get(stored.body_ref!))!.text()).toBe(json);

    const answer = await read<EventAnswer>(`/api/v1/traces/${event.trace_id}/events/${event.event_id}`, p.secretKey);
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body.event.body)).toBe(json);
    expect(answer.body.event).toMatchObject({ body_bytes: stored.body_bytes, body_missing: false, truncated: false });
  });

  it("keeps bodies over the threshold in R2 and smaller ones in D1; the tree shows sizes and previews", async () => {
    const p = await createProject();
    const small = makeEvent({ trace_id: "t-mixed", body: { input: "short question", output: "short answer" } });
    const large = makeEvent({
      trace_id: "t-mixed",
      parent_event_id: small.event_id,
      body: { input: prompt(3), output: "a long answer begins here" },
    });
    await deliver(p.projectId, [small, large]);
    expect((await row(p.projectId, small.event_id)).body_ref).toBeNull();
    const big = await row(p.projectId, large.event_id);
    expect(big.body_ref).toMatch(
      new RegExp(`^${await eventBodyPrefix(p.projectId, "t-mixed", large.event_id)}[0-9a-f]{64}$`),
    );
    expect(JSON.parse(big.body!)).toEqual({
      input: (large.body as { input: string }).input.slice(0, BODY_LIMITS.previewChars),
      output: "a long answer begins here",
    });

    const tree = await read<TraceAnswer>("/api/v1/traces/t-mixed", p.secretKey);
    const [first, second] = tree.body.events;
    expect(first).toMatchObject({ body: { input: "short question", output: "short answer" }, body_truncated: false });
    expect(second).toMatchObject({
      body: null,
      body_truncated: true,
      body_bytes: big.body_bytes,
      preview: "a long answer begins here",
    });
  });

  it("writes one object however often a message is redelivered", async () => {
    const p = await createProject();
    const event = makeEvent({ body: { input: prompt(10) } });
    for (let i = 0; i < 3; i++) await deliver(p.projectId, [event]);
    expect(await objectsOf(p.projectId)).toHaveLength(1);
    expect(await storedEvents(p.projectId)).toHaveLength(1);
  });

  it("searches the first 2,000 characters of an offloaded body's input, output and message", async () => {
    const p = await createProject();
    const input = `aardvark ${"filler words here ".repeat(200)} zebrafish`;
    expect(input.indexOf("zebrafish")).toBeGreaterThan(BODY_LIMITS.previewChars);
    await deliver(p.projectId, [makeEvent({ trace_id: "t-search", body: { input, output: "okapi" } })]);
    expect((await row(p.projectId, (await storedEvents(p.projectId))[0]!.event_id as string)).body_ref).not.toBeNull();
    const search = async (q: string) =>
      (await read<{ traces: Array<{ trace_id: string }> }>(`/api/v1/traces?q=${q}`, p.secretKey)).body.traces.map(
        (t) => t.trace_id,
      );
    expect(await search("aardvark")).toEqual(["t-search"]);
    expect(await search("okapi")).toEqual(["t-search"]);
    expect(await search("zebrafish")).toEqual([]);
  });

  it("exports whole bodies (JSON and HAR), and the JSON re-imports into the same bodies", async () => {
    const p = await createProject();
    const body = { input: prompt(20), output: prompt(5) };
    const event = makeEvent({ trace_id: "t-export", type: "model_response", model: "gpt-4o", body });
    await deliver(p.projectId, [event]);
    const json = await read<TraceExport>("/api/v1/traces/t-export/export?format=json", p.secretKey);
    expect(json.body.events[0]!.body).toEqual(body);
    expect(json.body.missing_bodies).toBeUndefined();
    const har = await read<{ log: { entries: Array<{ request: { postData: { text: string } } }> } }>(
      "/api/v1/traces/t-export/export?format=har",
      p.secretKey,
    );
    expect(JSON.parse(har.body.log.entries[0]!.request.postData.text)).toBe(body.input);

    const copy = await createProject();
    expect((await postEvents(json.body, { key: copy.ingestKey })).status).toBe(202);
    await waitFor(
      () => storedEvents(copy.projectId),
      (r) => r.length === 1,
    );
    const again = await read<EventAnswer>(`/api/v1/traces/t-export/events/${event.event_id}`, copy.secretKey);
    expect(again.body.event.body).toEqual(body);
  });

  it("reports a missing object instead of failing: the event shows its preview, the export lists it", async () => {
    const p = await createProject();
    const event = makeEvent({
      trace_id: "t-gone",
      type: "tool_call",
      body: { input: prompt(8), output: "kept in the preview" },
    });
    await deliver(p.projectId, [event]);
    await env.BODIES.delete((await row(p.projectId, event.event_id)).body_ref!);

    const answer = await read<EventAnswer>(`/api/v1/traces/t-gone/events/${event.event_id}`, p.secretKey);
    expect(answer.status).toBe(200);
    expect(answer.body.event).toMatchObject({ body_missing: true, body: { output: "kept in the preview" } });
    expect((answer.body.event.body as { input: string }).input).toHaveLength(BODY_LIMITS.previewChars);
    const json = await read<TraceExport>("/api/v1/traces/t-gone/export", p.secretKey);
    expect(json.status).toBe(200);
    expect(json.body.missing_bodies).toEqual([event.event_id]);
    const har = await read<{ log: { entries: Array<{ _watchllm: { body_missing?: boolean } }> } }>(
      "/api/v1/traces/t-gone/export?format=har",
      p.secretKey,
    );
    expect(har.body.log.entries[0]!._watchllm.body_missing).toBe(true);
  });

  it("truncates a body over 1 MB (flagged), stores the rest of the batch", async () => {
    const p = await createProject();
    const huge = makeEvent({ body: { input: prompt(1200), output: "short" } });
    const res = await postEvents([huge, makeEvent()], { key: p.ingestKey });
    expect(await res.json()).toEqual({ accepted: 2, rejected: [] });
    await waitFor(
      () => storedEvents(p.projectId),
      (r) => r.length === 2,
    );
    const answer = await read<EventAnswer>(`/api/v1/traces/${huge.trace_id}/events/${huge.event_id}`, p.secretKey);
    expect(answer.body.event.truncated).toBe(true);
    expect(answer.body.event.body_bytes).toBeLessThanOrEqual(LIMITS.maxEventBytes);
    expect(answer.body.event.body).toMatchObject({ output: "short" });
    expect((answer.body.event.body as { input: string }).input).toMatch(/truncated by WatchLLM/);
  });
});

/** Delivers messages of several projects as one queue batch to the real consumer; what it acked and retried. */
async function deliverTogether(messages: Array<{ projectId: string; wire: Array<Record<string, unknown>> }>) {
  const batch = createMessageBatch(
    "watchllm-events",
    messages.map((m, i) => {
      const { events } = validateEvents(m.wire);
      return {
        id: `together-${i}`,
        timestamp: Date.now(),
        attempts: 1,
        body: { project_id: m.projectId, received_at: Date.now(), events },
      };
    }),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

const del = (p: { secretKey: string }, path: string) =>
  SELF.fetch(`https://watchllm.test${path}`, { method: "DELETE", headers: { Authorization: `Bearer ${p.secretKey}` } });

describe("object keys and deletion", () => {
  it("stores a 3 KB body under a 128-character CJK trace id, and another tenant's event in the same batch", async () => {
    const hostile = await createProject("hostile");
    // The other data database, whichever one the hostile project landed on.
    const other = await createProject("other", (hostile.shard + 1) % dataDatabases(env).length);
    const trace = "中".repeat(128);
    const bad = makeEvent({ trace_id: trace, body: { input: prompt(3) } });
    const innocent = makeEvent({ body: { input: "hello" } });
    const result = await deliverTogether([
      { projectId: hostile.projectId, wire: [bad] },
      { projectId: other.projectId, wire: [innocent] },
    ]);
    expect(result.explicitAcks.sort()).toEqual(["together-0", "together-1"]);
    expect(await storedEvents(other.projectId)).toHaveLength(1);
    const stored = await row(hostile.projectId, bad.event_id);
    expect(new TextEncoder().encode(stored.body_ref!).byteLength).toBeLessThan(256);
    expect(stored.body_ref!.startsWith(await traceBodyPrefix(hostile.projectId, trace))).toBe(true);
    const answer = await read<EventAnswer>(
      `/api/v1/traces/${encodeURIComponent(trace)}/events/${bad.event_id}`,
      hostile.secretKey,
    );
    expect(answer.body.event.body).toEqual(bad.body);
    expect((await del(hostile, `/api/v1/traces/${encodeURIComponent(trace)}`)).status).toBe(200);
    expect(await objectsOf(hostile.projectId)).toEqual([]);
  });

  it("deleting a trace removes every object it ever wrote: earlier versions of a re-folded event included", async () => {
    const p = await createProject();
    const ingest = (batch: unknown[]) =>
      SELF.fetch("https://watchllm.test/api/public/ingestion", {
        method: "POST",
        headers: { Authorization: `Basic ${btoa(`pk-lf-x:${p.ingestKey}`)}`, "Content-Type": "application/json" },
        body: JSON.stringify({ batch }),
      });
    const at = "2026-11-20T10:00:00.000Z";
    const gen = { id: "lf-gen", traceId: "lf-doomed", name: "llm", startTime: at, input: prompt(3) };
    expect((await ingest([{ id: "i1", type: "generation-create", timestamp: at, body: gen }])).status).toBe(207);
    await waitFor(
      () => storedEvents(p.projectId),
      (r) => r.length === 1,
    );
    const update = { id: "lf-gen", traceId: "lf-doomed", endTime: at, output: prompt(4) };
    expect((await ingest([{ id: "i2", type: "generation-update", timestamp: at, body: update }])).status).toBe(207);
    await waitFor(
      () => objectsOf(p.projectId),
      (keys) => keys.length === 2,
    );
    const kept = makeEvent({ trace_id: "lf-kept", body: { input: prompt(3) } });
    await deliver(p.projectId, [kept]);

    expect((await del(p, "/api/v1/traces/lf-doomed")).status).toBe(200);
    expect(await objectsOf(p.projectId)).toEqual([(await row(p.projectId, kept.event_id)).body_ref]);
  });

  it("deletes an event's stray copies (a redelivered id with another body) with its trace", async () => {
    const p = await createProject();
    const first = makeEvent({ trace_id: "t-copies", body: { input: prompt(3) } });
    await deliver(p.projectId, [first]);
    await deliver(p.projectId, [{ ...first, body: { input: prompt(5) } }]);
    expect(await objectsOf(p.projectId)).toHaveLength(2);
    expect((await del(p, "/api/v1/traces/t-copies")).status).toBe(200);
    expect(await objectsOf(p.projectId)).toEqual([]);
  });

  it("reads and deletes bodies stored under the older key layout (encoded ids)", async () => {
    const p = await createProject();
    const event = makeEvent({ trace_id: "t-old/layout", body: { input: prompt(3) } });
    await deliver(p.projectId, [event]);
    const stored = await row(p.projectId, event.event_id);
    const legacy = `${p.projectId}/${encodeURIComponent("t-old/layout")}/${encodeURIComponent(event.event_id)}/${stored.body_sha256}`;
    await env.BODIES.put(legacy, (await (await env.BODIES.get(stored.body_ref!))!.text()) as string);
    await env.BODIES.delete(stored.body_ref!);
    await (await dataOf(p.projectId))
      .prepare("UPDATE events SET body_ref = ? WHERE project_id = ? AND event_id = ?")
      .bind(legacy, p.projectId, event.event_id)
      .run();
    const answer = await read<EventAnswer>(`/api/v1/traces/t-old%2Flayout/events/${event.event_id}`, p.secretKey);
    expect(answer.body.event).toMatchObject({ body: event.body, body_missing: false });
    expect((await del(p, "/api/v1/traces/t-old%2Flayout")).status).toBe(200);
    expect(await objectsOf(p.projectId)).toEqual([]);
  });
});
