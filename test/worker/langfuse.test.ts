// Langfuse's ingestion API: 207 per item, creates and updates folded into one event whatever their order and however
// often they arrive, one bad item costing only itself.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { eventBodyPrefix } from "../../src/db/bodies.ts";
import { createProject, dataOf, read, waitFor } from "./fixtures.ts";

const T0 = Date.parse("2026-11-20T10:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

function ingest(key: string, batch: unknown[], auth = `Basic ${btoa(`pk-lf-x:${key}`)}`) {
  return SELF.fetch("https://watchllm.test/api/public/ingestion", {
    method: "POST",
    headers: { Authorization: auth, "Content-Type": "application/json" },
    body: JSON.stringify({ batch, metadata: { sdk_name: "test" } }),
  });
}

let n = 0;
const item = (type: string, body: Record<string, unknown>, at = T0) => ({
  id: `item-${++n}`,
  type,
  timestamp: iso(at),
  body,
});

describe("POST /api/public/ingestion", () => {
  it("folds a generation's update into its create whichever arrives first, and redelivery changes nothing", async () => {
    const p = await createProject();
    const trace = item("trace-create", {
      id: "lf-t1",
      name: "agent",
      timestamp: iso(T0),
      userId: "u-lf",
      sessionId: "s-lf",
    });
    const create = item("generation-create", {
      id: "lf-g1",
      traceId: "lf-t1",
      name: "llm",
      startTime: iso(T0 + 10),
      model: "gpt-4o-mini",
      input: [{ role: "user", content: "hi" }],
    });
    const update = item(
      "generation-update",
      {
        id: "lf-g1",
        traceId: "lf-t1",
        endTime: iso(T0 + 310),
        output: "hello",
        usage: { input: 1_000_000, output: 1_000_000 },
      },
      T0 + 400,
    );
    // The update arrives first, alone: stored at its own time until its create arrives.
    const first = await ingest(p.ingestKey, [update]);
    expect(first.status).toBe(207);
    expect(await first.json()).toEqual({ successes: [{ id: update.id, status: 201 }], errors: [] });
    await ingest(p.ingestKey, [trace, create]);
    const tree = async () => (await read(`/api/v1/traces/lf-t1`, p.secretKey)).body;
    const done = await waitFor(tree, (t) =>
      t?.events?.some((e: { name: string; duration_ms: number }) => e.name === "llm" && e.duration_ms === 300),
    );
    const llm = done.events.find((e: { name: string }) => e.name === "llm");
    expect(llm).toMatchObject({
      type: "model_response",
      parent_event_id: "lf-t1",
      input_tokens: 1_000_000,
      cost_usd: 0.75,
    });
    expect(done.trace).toMatchObject({ user_id: "u-lf", session_id: "s-lf", total_cost: 0.75, span_count: 2 });
    // Everything again, in the other order: the same trace.
    await ingest(p.ingestKey, [create, update, trace]);
    await ingest(p.ingestKey, [
      item("span-create", { id: "marker", traceId: "lf-t1", name: "marker", startTime: iso(T0) }),
    ]);
    const again = await waitFor(tree, (t) => t.events.length === 3);
    expect(again.trace).toMatchObject({ total_cost: 0.75, span_count: 3, input_tokens: 1_000_000 });
    const { results } = await (await dataOf(p.projectId))
      .prepare("SELECT count(*) AS n FROM event_parts WHERE project_id = ?")
      .bind(p.projectId)
      .all();
    expect(results[0]).toEqual({ n: 4 });
  });

  it("moves a stored fold to the trace a later update names, keeping one event (events are keyed by trace)", async () => {
    const p = await createProject();
    await ingest(p.ingestKey, [
      item("span-create", { id: "lf-move", traceId: "lf-from", name: "moving", startTime: iso(T0) }),
    ]);
    const stored = async () =>
      (
        await (
          await dataOf(p.projectId)
        )
          .prepare("SELECT trace_id, duration_ms FROM events WHERE project_id = ? AND event_id = 'lf-move'")
          .bind(p.projectId)
          .all<{ trace_id: string; duration_ms: number | null }>()
      ).results;
    await waitFor(stored, (rows) => rows.length === 1);
    await ingest(p.ingestKey, [
      item("span-update", { id: "lf-move", traceId: "lf-to", endTime: iso(T0 + 50) }, T0 + 60),
    ]);
    const moved = await waitFor(stored, (rows) => rows.some((r) => r.trace_id === "lf-to"));
    expect(moved).toEqual([{ trace_id: "lf-to", duration_ms: 50 }]);
    expect((await read("/api/v1/traces/lf-to", p.secretKey)).body.events.map((e: { name: string }) => e.name)).toEqual([
      "moving",
    ]);
  });

  it("answers 207 with each bad item in `errors` and stores the good ones; 401 without a key", async () => {
    const p = await createProject();
    const good = item("span-create", { id: "ok-1", traceId: "lf-t2", name: "fine", startTime: iso(T0) });
    const res = await ingest(p.ingestKey, [
      good,
      item("span-create", { id: "no-trace", name: "orphan", startTime: iso(T0) }),
      item("span-create", { id: "bad-time", traceId: "lf-t2", startTime: "yesterday" }),
      { type: "span-create" },
      item("dataset-create", { id: "x" }),
      item("sdk-log", { log: "hello" }),
    ]);
    expect(res.status).toBe(207);
    const body = (await res.json()) as {
      successes: Array<{ id: string }>;
      errors: Array<{ id: string; message: string }>;
    };
    // An observation without a trace is the root of its own (as Langfuse wraps it in a trace of its id).
    expect(body.successes.map((s) => s.id)).toHaveLength(3);
    expect(body.errors).toHaveLength(3);
    expect(body.errors.every((e) => e.message === "Invalid request data")).toBe(true);
    await waitFor(
      async () => (await read("/api/v1/traces/lf-t2", p.secretKey)).status,
      (s) => s === 200,
    );
    expect((await ingest("wl_ingest_nope", [good])).status).toBe(401);
    expect((await ingest(p.ingestKey, [good], "Basic !!!")).status).toBe(401);
  });
});

describe("large Langfuse bodies", () => {
  it("keeps a folded generation's large input and output in R2 and reads them back whole", async () => {
    const p = await createProject();
    const input = [{ role: "user", content: "context ".repeat(4_000) }];
    const output = "answer ".repeat(4_000);
    const res = await ingest(p.ingestKey, [
      item("trace-create", { id: "lf-big", name: "rag", timestamp: iso(T0) }),
      item("generation-create", { id: "lf-big-g", traceId: "lf-big", startTime: iso(T0), model: "gpt-4o", input }),
      item("generation-update", { id: "lf-big-g", traceId: "lf-big", endTime: iso(T0 + 50), output }, T0 + 60),
    ]);
    expect(res.status).toBe(207);
    const event = await waitFor(
      async () => (await read(`/api/v1/traces/lf-big/events/lf-big-g`, p.secretKey)).body?.event,
      (e) => e?.body?.output !== undefined,
    );
    expect(event.body).toMatchObject({ input, output });
    expect(event.body_bytes).toBeGreaterThan(50_000);
    const stored = await (await dataOf(p.projectId))
      .prepare("SELECT body_ref FROM events WHERE project_id = ? AND event_id = 'lf-big-g'")
      .bind(p.projectId)
      .first<string>("body_ref");
    expect(stored?.startsWith(await eventBodyPrefix(p.projectId, "lf-big", "lf-big-g"))).toBe(true);
  });
});
