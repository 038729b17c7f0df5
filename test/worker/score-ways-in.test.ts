// Scores from the other ways in, on the real Worker and queue: Langfuse's `score-create` ingestion items and its score
// REST API, and OTel's `gen_ai.evaluation.result` span events.
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ScoreListAnswer } from "../../contract/scores.ts";
import { createProject, read, waitFor } from "./fixtures.ts";

const basic = (key: string) => `Basic ${btoa(`pk-lf-anything:${key}`)}`;

const scoresOf = (trace: string, key: string, n: number) =>
  waitFor(
    async () => (await read<ScoreListAnswer>(`/api/v1/scores?trace_id=${trace}`, key)).body.scores,
    (s) => s.length >= n,
  );

describe("Langfuse scores", () => {
  it("turns score-create items into scores (not log events), each answered in the 207", async () => {
    const p = await createProject();
    const item = (id: string, body: Record<string, unknown>) => ({
      id,
      type: "score-create",
      timestamp: "2026-01-01T00:00:00.000Z",
      body,
    });
    const res = await SELF.fetch("https://watchllm.test/api/public/ingestion", {
      method: "POST",
      headers: { Authorization: basic(p.secretKey), "Content-Type": "application/json" },
      body: JSON.stringify({
        batch: [
          item("i1", { id: "lf-s1", traceId: "lf-t", name: "accuracy", value: 0.75, comment: "close" }),
          item("i2", {
            id: "lf-s2",
            traceId: "lf-t",
            observationId: "obs-1",
            name: "correct",
            value: 1,
            dataType: "BOOLEAN",
          }),
          item("i3", { id: "lf-s3", traceId: "lf-t", name: "tone", value: "polite", dataType: "CATEGORICAL" }),
          item("i4", { id: "lf-s4", name: "session score", value: 1 }),
        ],
      }),
    });
    expect(res.status).toBe(207);
    const answer = (await res.json()) as {
      successes: Array<{ id: string }>;
      errors: Array<{ id: string; message: string; error: string }>;
    };
    expect(answer.successes.map((s) => s.id).sort()).toEqual(["i1", "i2", "i3"]);
    // Langfuse's item error: the category in `message`, the reason in `error`.
    expect(answer.errors).toEqual([expect.objectContaining({ id: "i4", error: expect.stringMatching(/traceId/) })]);
    const scores = await scoresOf("lf-t", p.secretKey, 3);
    const by = (id: string) => scores.find((s) => s.score_id === id);
    expect(by("lf-s1")).toMatchObject({
      value: 0.75,
      comment: "close",
      source: "api",
      timestamp: Date.UTC(2026, 0, 1),
    });
    expect(by("lf-s2")).toMatchObject({ value: true, kind: "boolean", event_id: "obs-1" });
    expect(by("lf-s3")).toMatchObject({ value: "polite", kind: "categorical" });
    const events = await read("/api/v1/traces/lf-t", p.secretKey);
    expect(events.status).toBe(404);
  });

  it("creates and deletes scores through POST and DELETE /api/public/scores", async () => {
    const p = await createProject();
    const create = await SELF.fetch("https://watchllm.test/api/public/scores", {
      method: "POST",
      headers: { Authorization: basic(p.ingestKey), "Content-Type": "application/json" },
      body: JSON.stringify({ traceId: "rest-t", name: "thumbs", value: 1, dataType: "BOOLEAN", comment: "great" }),
    });
    expect(create.status).toBe(200);
    const { id } = (await create.json()) as { id: string };
    const [score] = await scoresOf("rest-t", p.secretKey, 1);
    expect(score).toMatchObject({ score_id: id, value: true, source: "feedback", author_kind: "ingest" });
    const del = (key: string) =>
      SELF.fetch(`https://watchllm.test/api/public/scores/${encodeURIComponent(id)}`, {
        method: "DELETE",
        headers: { Authorization: basic(key) },
      });
    expect((await del(p.ingestKey)).status).toBe(403);
    expect((await del(p.secretKey)).status).toBe(204);
    expect((await del(p.secretKey)).status).toBe(404);
    expect((await read<ScoreListAnswer>("/api/v1/scores?trace_id=rest-t", p.secretKey)).body.scores).toEqual([]);
  });
});

describe("OTel evaluations", () => {
  it("turns gen_ai.evaluation.result span events into scores of the span", async () => {
    const p = await createProject();
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const spanId = "b7ad6b7169203331";
    const at = "1764000000000000000";
    const evaluation = (attrs: Record<string, string | number>) => ({
      name: "gen_ai.evaluation.result",
      timeUnixNano: at,
      attributes: Object.entries(attrs).map(([key, v]) => ({
        key,
        value: typeof v === "number" ? { doubleValue: v } : { stringValue: v },
      })),
    });
    const res = await SELF.fetch("https://watchllm.test/api/v1/otel/v1/traces", {
      method: "POST",
      headers: { Authorization: `Bearer ${p.secretKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    traceId,
                    spanId,
                    name: "chat",
                    startTimeUnixNano: at,
                    endTimeUnixNano: "1764000000500000000",
                    events: [
                      evaluation({
                        "gen_ai.evaluation.name": "relevance",
                        "gen_ai.evaluation.score.value": 0.8,
                        "gen_ai.evaluation.score.label": "relevant",
                        "gen_ai.evaluation.explanation": "on topic",
                      }),
                      evaluation({ "gen_ai.evaluation.name": "toxicity", "gen_ai.evaluation.score.label": "none" }),
                      evaluation({ "gen_ai.evaluation.score.value": 1 }),
                    ],
                  },
                ],
              },
            ],
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    const scores = await scoresOf(traceId, p.secretKey, 2);
    expect(scores.map((s) => [s.name, s.value, s.event_id, s.source, s.comment]).sort()).toEqual([
      ["relevance", 0.8, spanId, "eval", "on topic"],
      ["toxicity", "none", spanId, "eval", null],
    ]);
    // The unnamed evaluation stays a log line of the span.
    const trace = await waitFor(
      () => read(`/api/v1/traces/${traceId}`, p.secretKey),
      (r) => r.status === 200,
    );
    expect(trace.body.events.filter((e: { type: string }) => e.type === "log")).toHaveLength(1);
  });
});
