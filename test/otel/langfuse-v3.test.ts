// The `langfuse` v3 SDK (the ingestion API, not OTel) pointed at WatchLLM by its host alone: creates and updates travel
// in separate batches and in any order, and the trace API shows the folded tree with types, tokens, cost, user and
// session, errors and scores.
import { Langfuse } from "langfuse";
import { describe, expect, inject, it } from "vitest";
import { waitFor } from "../support/wait.ts";

const { base, ingestKey, secretKey } = inject("otel");

type Tree = {
  trace: {
    name: string;
    user_id: string | null;
    session_id: string | null;
    tags: string[];
    total_cost: number;
    error_count: number;
  };
  events: Array<{
    event_id: string;
    parent_event_id: string | null;
    type: string;
    name: string;
    status: string;
    duration_ms: number | null;
    model: string | null;
    input_tokens: number | null;
    output_tokens: number | null;
    cached_input_tokens: number | null;
    cost_usd: number | null;
    body: Record<string, unknown> | null;
  }>;
  scores: Array<{ name: string; value: unknown; event_id: string | null }>;
};

const until = async <T>(read: () => Promise<T | null>, ok: (v: T) => boolean, what: string): Promise<T> =>
  (await waitFor(read, (v) => v !== null && ok(v), { what, timeoutMs: 30_000, everyMs: 100 }))!;

const tree = async (traceId: string) => {
  const res = await fetch(`${base}/api/v1/traces/${traceId}`, { headers: { Authorization: `Bearer ${secretKey}` } });
  return res.status === 200 ? ((await res.json()) as Tree) : null;
};

describe("the langfuse v3 SDK against /api/public/ingestion", () => {
  it("records traces, spans, generations, events and scores, creates and updates folded whatever their order", async () => {
    // Langfuse's public:secret key pair; a WatchLLM key in either slot is enough.
    const langfuse = new Langfuse({ publicKey: "pk-lf-anything", secretKey: ingestKey, baseUrl: base, flushAt: 1 });
    const trace = langfuse.trace({
      name: "support-agent",
      userId: "lf-user",
      sessionId: "lf-session",
      tags: ["langfuse"],
      input: { question: "refund?" },
      metadata: { plan: "pro" },
    });
    const span = trace.span({ name: "retrieve", input: { q: "refund" } });
    const generation = span.generation({
      name: "answer",
      model: "gpt-4o-mini",
      input: [{ role: "user", content: "refund?" }],
      modelParameters: { temperature: 0 },
    });
    generation.end({
      output: { role: "assistant", content: "On its way" },
      usage: { input: 1_000_000, output: 1_000_000 },
    });
    span.end({ output: "found 2 docs" });
    trace.event({ name: "handoff", input: { to: "human" }, level: "WARNING" });
    const failed = trace.generation({
      name: "retry",
      model: "claude-3-5-haiku-20241022",
      usageDetails: { input: 100, output: 20, cache_read_input_tokens: 50 },
      costDetails: { total: 0.001 },
    });
    failed.end({ level: "ERROR", statusMessage: "overloaded" });
    trace.score({ name: "helpfulness", value: 0.9 });
    trace.update({ output: "resolved" });
    await langfuse.shutdownAsync();

    const t = await until(
      () => tree(trace.id),
      (v) =>
        v.events.length === 5 &&
        v.events.every((e) => e.duration_ms !== null || e.type === "log" || e.name === "support-agent"),
      "the folded trace",
    );
    expect(t.trace).toMatchObject({
      name: "support-agent",
      user_id: "lf-user",
      session_id: "lf-session",
      tags: ["langfuse"],
      error_count: 1,
    });
    const by = (name: string) => t.events.find((e) => e.name === name)!;
    const root = by("support-agent");
    expect(root).toMatchObject({ type: "span", parent_event_id: null });
    expect(root.body).toMatchObject({ input: { question: "refund?" }, output: "resolved" });
    expect(by("retrieve")).toMatchObject({
      type: "span",
      parent_event_id: root.event_id,
      body: { output: "found 2 docs" },
    });
    // gpt-4o-mini from the price table: $0.15 + $0.60 per million input/output tokens.
    expect(by("answer")).toMatchObject({
      type: "model_response",
      parent_event_id: by("retrieve").event_id,
      model: "gpt-4o-mini",
      input_tokens: 1_000_000,
      output_tokens: 1_000_000,
      cost_usd: 0.75,
    });
    expect(by("answer").body).toMatchObject({
      output: { content: "On its way" },
      langfuse: { type: "GENERATION", model_parameters: { temperature: 0 } },
    });
    expect(by("retry")).toMatchObject({ status: "error", input_tokens: 150, cached_input_tokens: 50, cost_usd: 0.001 });
    expect(by("retry").body).toMatchObject({ error: "overloaded" });
    expect(by("handoff")).toMatchObject({ type: "log", parent_event_id: root.event_id });
    // A score is a score of the trace, not a log line.
    const scores = await until(
      async () => (await tree(trace.id))?.scores ?? null,
      (s) => s.length === 1,
      "the trace's score",
    );
    expect(scores[0]).toMatchObject({ name: "helpfulness", value: 0.9, event_id: null });
    expect(t.trace.total_cost).toBeCloseTo(0.751, 9);
  });
});
