// Property test: whatever the split, order or redelivery of a trace's events, its summary row equals a fresh
// aggregation (computed here in JS, independently of the SQL) over the events stored in D1.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { QueueMessage, StoredEvent } from "../../contract/queue.ts";
import { scopeToken } from "../../src/db/search.ts";
import worker from "../../src/index.ts";
import { validateEvents } from "../../src/ingest/validate.ts";
import { createProject, dataOf } from "./fixtures.ts";

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomTraceEvents(rand: () => number, traceId: string) {
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  const n = 1 + Math.floor(rand() * 30);
  const ids: string[] = [];
  const base = 1_764_000_000_000 + Math.floor(rand() * 1000);
  return Array.from({ length: n }, (_, i) => {
    const id = `${traceId}-e${i}`;
    const r = rand();
    // Mostly children of earlier events; some roots (0, 1 or more per trace) and some orphans.
    const parent = i === 0 ? (r < 0.8 ? null : "missing-parent") : r < 0.1 ? null : r < 0.2 ? "missing" : pick(ids);
    ids.push(id);
    const type = pick(["span", "model_response", "tool_call", "log", "error"] as const);
    return {
      event_id: id,
      trace_id: traceId,
      parent_event_id: parent,
      type,
      name: pick(["agent", "plan", "search", "answer"]),
      timestamp: base + Math.floor(rand() * 50), // frequent ties exercise the event_id tie-break
      duration_ms: rand() < 0.8 ? Math.floor(rand() * 500) : undefined,
      status: rand() < 0.15 ? "error" : undefined,
      model: type === "model_response" ? pick(["gpt-4o", "claude-sonnet-4", "gemini-2.5-pro"]) : undefined,
      usage:
        type === "model_response"
          ? {
              input_tokens: Math.floor(rand() * 900),
              output_tokens: Math.floor(rand() * 90),
              cached_input_tokens: Math.floor(rand() * 10),
            }
          : undefined,
      cost_usd: type === "model_response" && rand() < 0.7 ? Math.round(rand() * 1e6) / 1e8 : undefined,
      context:
        rand() < 0.5
          ? {
              user_id: pick(["u1", "u2"]),
              session_id: pick(["s1", "s2", "s3"]),
              tags: rand() < 0.5 ? [pick(["a", "b", "c"])] : [],
            }
          : undefined,
    };
  });
}

/** The summary a trace must have, computed from its stored events. */
function expectedSummary(rows: StoredEvent[]) {
  const sorted = [...rows].sort(
    (a, b) =>
      Number(b.parent_event_id === null) - Number(a.parent_event_id === null) ||
      a.ts - b.ts ||
      (a.event_id < b.event_id ? -1 : 1),
  );
  const root = sorted[0]!;
  const start = Math.min(...rows.map((r) => r.ts));
  const end = Math.max(...rows.map((r) => r.ts + (r.duration_ms ?? 0)));
  const errors = rows.filter((r) => r.status === "error" || r.type === "error").length;
  const sum = (f: (r: StoredEvent) => number | null) => rows.reduce((s, r) => s + (f(r) ?? 0), 0);
  const maxOf = (values: (string | null)[]) =>
    values
      .filter((v): v is string => v !== null)
      .sort()
      .at(-1) ?? null;
  return {
    start_ts: start,
    end_ts: end,
    duration_ms: end - start,
    span_count: rows.length,
    error_count: errors,
    status: errors ? "error" : "ok",
    root_event_id: root.event_id,
    root_name: root.name,
    models: [...new Set(rows.map((r) => r.model).filter(Boolean))].sort(),
    tags: [
      ...new Set(rows.flatMap((r) => (r.context ? ((JSON.parse(r.context) as { tags?: string[] }).tags ?? []) : []))),
    ].sort(),
    input_tokens: sum((r) => r.input_tokens),
    output_tokens: sum((r) => r.output_tokens),
    cached_input_tokens: sum((r) => r.cached_input_tokens),
    total_tokens: sum((r) => r.input_tokens) + sum((r) => r.output_tokens),
    total_cost: sum((r) => r.cost_usd),
    user_id: maxOf(rows.map((r) => r.user_id)),
    session_id: maxOf(rows.map((r) => r.session_id)),
  };
}

let messageSeq = 0;
async function deliver(bodies: QueueMessage[]) {
  const batch = createMessageBatch<QueueMessage>(
    "watchllm-events",
    bodies.map((body) => ({ id: `m${++messageSeq}`, timestamp: Date.now(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<unknown>, env, ctx);
  return getQueueResult(batch, ctx);
}

describe("trace summaries", () => {
  it("equal a fresh aggregation after random splits, shuffles, duplicates and redeliveries", async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const rand = rng(seed);
      const p = await createProject();
      const traceIds = Array.from({ length: 1 + Math.floor(rand() * 4) }, (_, i) => `s${seed}-t${i}`);
      const wire = traceIds.flatMap((t) => randomTraceEvents(rand, t));
      const { events, rejected } = validateEvents(wire);
      expect(rejected).toEqual([]);
      // Shuffle, then split into messages of random size, with some events duplicated inside messages.
      const shuffled = [...events].sort(() => rand() - 0.5);
      const messages: QueueMessage[] = [];
      for (let i = 0; i < shuffled.length; ) {
        const size = 1 + Math.floor(rand() * 8);
        const chunk = shuffled.slice(i, i + size);
        if (rand() < 0.3) chunk.push(chunk[0]!);
        messages.push({ project_id: p.projectId, received_at: 1, events: chunk });
        i += size;
      }
      // Deliver in random queue batches; about a third of the messages are delivered again later.
      const deliveries = [...messages, ...messages.filter(() => rand() < 0.35)].sort(() => rand() - 0.5);
      for (let i = 0; i < deliveries.length; ) {
        const size = 1 + Math.floor(rand() * 4);
        const result = await deliver(deliveries.slice(i, i + size));
        expect(result.retryMessages).toEqual([]);
        i += size;
      }
      const { results: stored } = await (await dataOf(p.projectId))
        .prepare("SELECT * FROM events WHERE project_id = ?")
        .bind(p.projectId)
        .all<StoredEvent>();
      expect(stored).toHaveLength(events.length);
      // The search index holds one row per trace and write that stored events of it, however often they were
      // delivered; every row is an event's (deleting that event deletes it).
      const indexed = await (await dataOf(p.projectId))
        .prepare(
          `SELECT count(*) AS n, count(e.rowid) AS events FROM events_fts f LEFT JOIN events e ON e.rowid = f.rowid
           WHERE f.scope MATCH ?`,
        )
        .bind(`"${scopeToken(p.projectId)}"`)
        .first<{ n: number; events: number }>();
      const writes = new Set(stored.map((e) => `${e.trace_id} ${(e as { batch_id?: string }).batch_id}`));
      expect(indexed).toEqual({ n: writes.size, events: writes.size });
      const { results: summaries } = await (await dataOf(p.projectId))
        .prepare("SELECT * FROM traces WHERE project_id = ? ORDER BY trace_id")
        .bind(p.projectId)
        .all<Record<string, unknown>>();
      expect(summaries.map((s) => s.trace_id)).toEqual([...traceIds].sort());
      for (const summary of summaries) {
        const expected = expectedSummary(stored.filter((e) => e.trace_id === summary.trace_id));
        const { total_cost, models, tags, ...rest } = expected;
        expect(
          { ...summary, models: JSON.parse(summary.models as string), tags: JSON.parse(summary.tags as string) },
          `seed ${seed}`,
        ).toMatchObject({ ...rest, models, tags });
        expect(summary.total_cost as number).toBeCloseTo(total_cost, 10);
      }
    }
  });

  it("names the trace after its root even when the root arrives last", async () => {
    const p = await createProject();
    const [child, root] = validateEvents([
      {
        event_id: "c",
        trace_id: "t",
        parent_event_id: "r",
        type: "tool_call",
        name: "search",
        timestamp: 1_764_000_000_500,
      },
      {
        event_id: "r",
        trace_id: "t",
        parent_event_id: null,
        type: "span",
        name: "agent run",
        timestamp: 1_764_000_000_000,
        duration_ms: 900,
      },
    ]).events;
    await deliver([{ project_id: p.projectId, received_at: 1, events: [child!] }]);
    const before = await (await dataOf(p.projectId))
      .prepare("SELECT root_name FROM traces WHERE project_id = ?")
      .bind(p.projectId)
      .first();
    expect(before).toEqual({ root_name: "search" });
    await deliver([{ project_id: p.projectId, received_at: 1, events: [root!] }]);
    const after = await (await dataOf(p.projectId))
      .prepare("SELECT root_name, root_event_id, start_ts, end_ts, span_count FROM traces WHERE project_id = ?")
      .bind(p.projectId)
      .first();
    expect(after).toEqual({
      root_name: "agent run",
      root_event_id: "r",
      start_ts: 1_764_000_000_000,
      end_ts: 1_764_000_000_900,
      span_count: 2,
    });
  });
});
