// Scores from real clients against the real Worker under `wrangler dev`: the TS SDK (trace, span and later feedback
// with the browser-safe ingest key) and the `langfuse` v3 client (`score-create` through ingestion, and the REST API).
import { Langfuse } from "langfuse";
import { describe, expect, inject, it } from "vitest";
import { createClient } from "../../sdk/js/src/index.ts";

const { base, ingestKey, secretKey } = inject("otel");

type Score = {
  score_id: string;
  name: string;
  value: unknown;
  event_id: string | null;
  source: string;
  comment: string | null;
};

async function scoresOf(traceId: string, n: number): Promise<Score[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${base}/api/v1/scores?trace_id=${encodeURIComponent(traceId)}`, {
      headers: { Authorization: `Bearer ${secretKey}` },
    });
    const { scores } = (await res.json()) as { scores: Score[] };
    if (scores.length >= n) return scores;
    if (Date.now() > deadline) throw new Error(`scores of ${traceId}: ${JSON.stringify(scores)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the TS SDK", () => {
  it("scores a trace and a span, and sends end-user feedback later with the ingest key", async () => {
    const errors: unknown[] = [];
    const server = createClient({ apiKey: secretKey, baseUrl: base, onError: (e) => errors.push(e) });
    const trace = server.trace({ name: "answer", userId: "u-sdk" });
    const step = trace.span({ name: "retrieve" });
    step.score("recall", 0.6, { comment: "2 of 3 docs" });
    step.end();
    trace.score("quality", "good", { source: "eval" });
    trace.end({ output: "done" });
    await server.shutdown();

    // The browser got `trace.id` from the server; its thumbs go with the ingest key.
    const browser = createClient({ apiKey: ingestKey, baseUrl: base, onError: (e) => errors.push(e) });
    browser.score({ traceId: trace.traceId, name: "thumbs", value: true, source: "feedback", userId: "u-sdk" });
    browser.score({ traceId: trace.traceId, name: "sneaky", value: 1, source: "annotation" });
    await browser.shutdown();

    const scores = await scoresOf(trace.traceId, 3);
    const by = (name: string) => scores.find((s) => s.name === name);
    expect(by("recall")).toMatchObject({ value: 0.6, event_id: step.id, source: "sdk", comment: "2 of 3 docs" });
    expect(by("quality")).toMatchObject({ value: "good", event_id: null, source: "eval" });
    expect(by("thumbs")).toMatchObject({ value: true, source: "feedback" });
    expect(by("sneaky")).toBeUndefined();
    expect(errors).toEqual([expect.objectContaining({ code: "rejected" })]);
  });
});

describe("the langfuse v3 client", () => {
  it("sends scores through ingestion (langfuse.score, trace.score) and the REST API (create, delete)", async () => {
    const langfuse = new Langfuse({ publicKey: "pk-lf-anything", secretKey, baseUrl: base, flushAt: 1 });
    const trace = langfuse.trace({ name: "lf-scored" });
    const generation = trace.generation({ name: "gen", model: "gpt-4o-mini" });
    generation.end({ output: "hi" });
    trace.score({ name: "helpfulness", value: 0.9, comment: "clear" });
    langfuse.score({ traceId: trace.id, observationId: generation.id, name: "correct", value: 1, dataType: "BOOLEAN" });
    await langfuse.shutdownAsync();
    const created = await langfuse.api.scoreCreate({
      traceId: trace.id,
      name: "verdict",
      value: "pass",
      dataType: "CATEGORICAL",
    });
    expect(created.id).toBeTruthy();

    const scores = await scoresOf(trace.id, 3);
    const by = (name: string) => scores.find((s) => s.name === name);
    expect(by("helpfulness")).toMatchObject({ value: 0.9, comment: "clear", event_id: null });
    expect(by("correct")).toMatchObject({ value: true, event_id: generation.id });
    expect(by("verdict")).toMatchObject({ value: "pass", score_id: created.id });

    await langfuse.api.scoreDelete(created.id);
    const left = await fetch(`${base}/api/v1/scores?trace_id=${trace.id}`, {
      headers: { Authorization: `Bearer ${secretKey}` },
    });
    expect(((await left.json()) as { scores: Score[] }).scores.map((s) => s.name).sort()).toEqual([
      "correct",
      "helpfulness",
    ]);
  });
});
