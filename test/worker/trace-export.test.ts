// Export (JSON re-importable through ingest, HAR 1.2 validated against its shape) and compare.
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import pkg from "../../package.json";
import { VERSION } from "../../src/lib/version.ts";
import { createProject, deliver, postEvents, read, waitFor } from "./fixtures.ts";

const T0 = 1_764_000_000_000;
let project: Awaited<ReturnType<typeof createProject>>;

/** One run of a small agent: root → plan (llm) → search (tool) → answer (llm); `slow` and `extra` vary the run. */
function run(trace: string, opts: { slow?: number; extra?: boolean; fail?: boolean } = {}) {
  const id = (s: string) => `${trace}-${s}`;
  const context = { user_id: "u1", session_id: "s1", tags: ["export"] };
  return [
    {
      event_id: id("root"),
      trace_id: trace,
      type: "span",
      name: "agent",
      timestamp: T0,
      duration_ms: 900 + (opts.slow ?? 0),
      body: { input: "Find flights" },
      context,
    },
    {
      event_id: id("plan"),
      trace_id: trace,
      parent_event_id: id("root"),
      type: "model_response",
      name: "plan",
      model: "gpt-4o",
      provider: "openai",
      timestamp: T0 + 10,
      duration_ms: 300,
      usage: { input_tokens: 120, output_tokens: 30, cached_input_tokens: 100 },
      cost_usd: 0.002,
      body: { input: [{ role: "user", content: "Find flights" }], output: "search flights" },
      context,
    },
    {
      event_id: id("search"),
      trace_id: trace,
      parent_event_id: id("root"),
      type: "tool_call",
      name: "search_flights",
      timestamp: T0 + 320,
      duration_ms: 200 + (opts.slow ?? 0),
      status: opts.fail ? "error" : "ok",
      body: { input: { to: "LIS" }, output: { flights: 3 } },
      context,
    },
    {
      event_id: id("answer"),
      trace_id: trace,
      parent_event_id: id("root"),
      type: "model_response",
      name: "answer",
      model: "gpt-4o",
      provider: "openai",
      timestamp: T0 + 530,
      duration_ms: 350,
      first_token_ms: 85, // streamed
      usage: { input_tokens: 200, output_tokens: 80 },
      cost_usd: 0.004,
      body: { output: "3 flights found" },
      context,
    },
    ...(opts.extra
      ? [
          {
            event_id: id("log"),
            trace_id: trace,
            parent_event_id: id("root"),
            type: "log",
            name: "note",
            timestamp: T0 + 890,
            body: { message: "done" },
            context,
          },
        ]
      : []),
  ];
}

const harEntry = z.object({
  startedDateTime: z.iso.datetime(),
  time: z.number().nonnegative(),
  request: z.object({
    method: z.string(),
    url: z.url(),
    httpVersion: z.string(),
    cookies: z.array(z.any()),
    headers: z.array(z.object({ name: z.string(), value: z.string() })),
    queryString: z.array(z.any()),
    postData: z.object({ mimeType: z.string(), text: z.string() }).optional(),
    headersSize: z.number(),
    bodySize: z.number(),
  }),
  response: z.object({
    status: z.number().int(),
    statusText: z.string(),
    httpVersion: z.string(),
    cookies: z.array(z.any()),
    headers: z.array(z.any()),
    content: z.object({ size: z.number(), mimeType: z.string(), text: z.string().optional() }),
    redirectURL: z.string(),
    headersSize: z.number(),
    bodySize: z.number(),
  }),
  cache: z.object({}),
  timings: z.object({ send: z.number(), wait: z.number(), receive: z.number() }).loose(),
});
/** The required parts of HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/). */
const har12 = z.object({
  log: z.object({
    version: z.literal("1.2"),
    creator: z.object({ name: z.string(), version: z.string() }),
    pages: z.array(
      z.object({
        startedDateTime: z.iso.datetime(),
        id: z.string(),
        title: z.string(),
        pageTimings: z.object({}).loose(),
      }),
    ),
    entries: z.array(harEntry),
  }),
});

beforeAll(async () => {
  project = await createProject("export");
  await deliver(project.projectId, [...run("base"), ...run("slower", { slow: 400, extra: true, fail: true })]);
});

describe("GET /api/v1/traces/:trace_id/export", () => {
  it("exports JSON that re-imports through ingest into an identical trace", async () => {
    const res = await read(`/api/v1/traces/base/export?format=json`, project.secretKey);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="watchllm-trace-base.json"');
    expect(res.body).toMatchObject({ format: "watchllm.trace.v1", trace: { trace_id: "base", span_count: 4 } });
    const target = await createProject("import");
    const posted = await postEvents(res.body, { key: target.ingestKey });
    expect(await posted.json()).toEqual({ accepted: 4, rejected: [] });
    const original = await read(`/api/v1/traces/base`, project.secretKey);
    const copy = await waitFor(
      () => read(`/api/v1/traces/base`, target.secretKey),
      (r) => r.status === 200 && r.body.trace.span_count === 4,
    );
    expect(copy.body).toEqual(original.body);
    // A streamed call's first-token time is read back (tree row, full event) and survives the round trip.
    const firstToken = (id: string) =>
      original.body.events.find((e: { event_id: string }) => e.event_id === id).first_token_ms;
    expect([firstToken("base-answer"), firstToken("base-plan")]).toEqual([85, null]);
    const full = await read(`/api/v1/traces/base/events/base-answer`, target.secretKey);
    expect(full.body.event.first_token_ms).toBe(85);
  });

  it("exports HAR 1.2 with one entry per model and tool call", async () => {
    const res = await read(`/api/v1/traces/slower/export?format=har`, project.secretKey);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toContain('filename="watchllm-trace-slower.har"');
    const { log } = har12.parse(res.body);
    expect(log.creator).toEqual({ name: "WatchLLM", version: pkg.version });
    expect(log.entries.map((e) => [e.request.url, e.response.status, e.time])).toEqual([
      ["https://openai.model.watchllm/gpt-4o", 200, 300],
      ["https://tool.watchllm/search_flights", 500, 600],
      ["https://openai.model.watchllm/gpt-4o", 200, 350],
    ]);
    expect(JSON.parse(log.entries[1]!.request.postData!.text)).toEqual({ to: "LIS" });
    expect(res.body.log.entries[0]).toMatchObject({
      _watchllm: { usage: { input_tokens: 120, cached_input_tokens: 100 }, cost_usd: 0.002 },
    });
  });

  it("rejects unknown formats and unknown traces", async () => {
    expect((await read(`/api/v1/traces/base/export?format=csv`, project.secretKey)).status).toBe(400);
    expect((await read(`/api/v1/traces/none/export`, project.secretKey)).status).toBe(404);
  });

  it("reports the package version", () => expect(VERSION).toBe(pkg.version));
});

describe("GET /api/v1/traces/compare", () => {
  it("aligns spans by path and reports deltas and one-sided spans", async () => {
    const { status, body } = await read(`/api/v1/traces/compare?a=base&b=slower`, project.secretKey);
    expect(status).toBe(200);
    expect(body.delta).toMatchObject({ duration_ms: 400, span_count: 1, error_count: 1, total_tokens: 0 });
    expect(
      body.spans.map((s: { path: string; a: unknown; b: unknown }) => [s.path, Boolean(s.a), Boolean(s.b)]),
    ).toEqual([
      ["root", true, true],
      ["root/model_response:plan", true, true],
      ["root/tool_call:search_flights", true, true],
      ["root/model_response:answer", true, true],
      ["root/log:note", false, true],
    ]);
    const search = body.spans[2];
    expect(search).toMatchObject({
      depth: 1,
      status_changed: true,
      delta: { duration_ms: 400 },
      a: { event_id: "base-search", model: null },
      b: { event_id: "slower-search", status: "error" },
    });
    // Each side names its call's model (a changed model is often why a call's cost or latency moved).
    expect([body.spans[1].a.model, body.spans[1].b.model]).toEqual(["gpt-4o", "gpt-4o"]);
    expect(body).toMatchObject({ only_in_a: 0, only_in_b: 1 });
  });

  it("pairs a retried span with its successful twin and shows the failed attempt as the extra span", async () => {
    const retried = run("retried");
    const failed = {
      ...retried[2]!,
      event_id: "retried-search-failed",
      timestamp: T0 + 300,
      status: "error",
      duration_ms: 900,
    };
    await deliver(project.projectId, [...retried, failed]);
    const { body } = await read(`/api/v1/traces/compare?a=base&b=retried`, project.secretKey);
    const rows = body.spans.map(
      (s: {
        path: string;
        a: { event_id: string } | null;
        b: { event_id: string } | null;
        status_changed: boolean;
      }) => [s.path, s.a?.event_id ?? null, s.b?.event_id ?? null, s.status_changed],
    );
    expect(rows).toEqual([
      ["root", "base-root", "retried-root", false],
      ["root/model_response:plan", "base-plan", "retried-plan", false],
      ["root/tool_call:search_flights", "base-search", "retried-search", false],
      ["root/model_response:answer", "base-answer", "retried-answer", false],
      ["root/tool_call:search_flights#2", null, "retried-search-failed", false],
    ]);
  });

  it("gives its deltas to the microsecond, without float noise", async () => {
    await deliver(project.projectId, run("tenth", { slow: 0.1 }));
    const { body } = await read(`/api/v1/traces/compare?a=base&b=tenth`, project.secretKey);
    expect(body.delta.duration_ms).toBe(0.1);
    expect(body.spans[2].delta.duration_ms).toBe(0.1); // 200.1 − 200 is 0.09999999999999432 in doubles
  });

  it("needs both traces", async () => {
    expect((await read(`/api/v1/traces/compare?a=base`, project.secretKey)).status).toBe(400);
    expect((await read(`/api/v1/traces/compare?a=base&b=none`, project.secretKey)).status).toBe(404);
  });
});
