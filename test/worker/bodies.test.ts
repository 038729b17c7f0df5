// Large bodies live in R2 (the BODIES bucket), D1 keeping a preview, the size, the hash and the pointer. Every read path
// follows the pointer; a missing object is reported, never a 500; redelivery is harmless; search reads the preview.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BODY_LIMITS, LIMITS } from "../../contract/limits.ts";
import type { EventAnswer, TraceAnswer, TraceExport } from "../../contract/traces.ts";
import { bodyPrefix } from "../../src/db/bodies.ts";
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
    expect(big.body_ref).toMatch(new RegExp(`^${p.projectId}/t-mixed/${large.event_id}/[0-9a-f]{64}$`));
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
