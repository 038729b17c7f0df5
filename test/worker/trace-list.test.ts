// GET /api/v1/traces: filters, sorts, keyset pages (stable under inserts), full-text search, errors, ETag.
import { beforeAll, describe, expect, it } from "vitest";
import { signUp } from "./account-fixtures.ts";
import { createProject, deliver, read } from "./fixtures.ts";

type Summary = {
  trace_id: string;
  name: string;
  start_time: number;
  duration_ms: number;
  total_cost: number;
  span_count: number;
  status: string;
  models: string[];
  tags: string[];
  user_id: string | null;
  session_id: string | null;
};
type Page = { traces: Summary[]; next_cursor: string | null };

const T0 = 1_764_000_000_000;
let project: Awaited<ReturnType<typeof createProject>>;

/** Trace i: a root span plus i % 4 model calls; every 5th fails; users, sessions, tags and models vary with i. */
function traceEvents(i: number) {
  const trace_id = `t${String(i).padStart(3, "0")}`;
  const context = {
    user_id: `user-${i % 3}`,
    session_id: `session-${i % 7}`,
    tags: i % 2 ? ["odd"] : ["even", "prod"],
  };
  const root = {
    event_id: `${trace_id}-root`,
    trace_id,
    type: "span",
    name: i % 2 ? "agent" : "rag",
    timestamp: T0 + i * 60_000,
    duration_ms: 100 + ((i * 37) % 900),
    status: i % 5 === 0 ? "error" : "ok",
    context,
    body: { input: `question number ${i}` },
  };
  const calls = Array.from({ length: i % 4 }, (_, k) => ({
    event_id: `${trace_id}-llm${k}`,
    trace_id,
    parent_event_id: root.event_id,
    type: "model_response",
    name: "chat",
    timestamp: T0 + i * 60_000 + 10 + k,
    duration_ms: 50,
    model: k % 2 ? "claude-sonnet-4" : "gpt-4o",
    provider: "openai",
    usage: { input_tokens: 100, output_tokens: 20 },
    cost_usd: 0.001 * (k + 1) * i,
    context,
    body: { output: i === 7 ? "the refund was approved by Zebulon" : "an ordinary answer" },
  }));
  return [root, ...calls];
}

const list = (query: string) => read<Page>(`/api/v1/traces?${query}`, project.secretKey);

/** Every page of a query, following next_cursor. */
async function all(query: string) {
  const seen: Summary[] = [];
  let cursor: string | null = null;
  do {
    const { status, body } = await list(`${query}&limit=7${cursor ? `&cursor=${cursor}` : ""}`);
    expect(status).toBe(200);
    seen.push(...body.traces);
    cursor = body.next_cursor;
  } while (cursor);
  return seen;
}

beforeAll(async () => {
  project = await createProject("list");
  await deliver(project.projectId, Array.from({ length: 40 }, (_, i) => traceEvents(i)).flat());
  // Another tenant with the same search word must never show up.
  const other = await createProject("other");
  await deliver(other.projectId, [{ ...traceEvents(7)[1]!, trace_id: "foreign", parent_event_id: null }]);
});

describe("GET /api/v1/traces", () => {
  it("lists newest trace first and pages through every trace exactly once", async () => {
    const traces = await all("");
    expect(traces.map((t) => t.trace_id)).toEqual(
      Array.from({ length: 40 }, (_, i) => `t${String(39 - i).padStart(3, "0")}`),
    );
    expect(traces[0]).toMatchObject({
      name: "agent",
      span_count: 4,
      models: ["claude-sonnet-4", "gpt-4o"],
      tags: ["odd"],
      user_id: "user-0",
      session_id: "session-4",
    });
  });

  it("keeps pages stable when traces arrive between requests", async () => {
    const busy = await createProject("busy");
    await deliver(busy.projectId, Array.from({ length: 20 }, (_, i) => traceEvents(i)).flat());
    const page = (q: string) => read<Page>(`/api/v1/traces?limit=5${q}`, busy.secretKey).then((r) => r.body);
    const first = await page("");
    // Newer traces arrive (and an existing one grows) while the reader is on page one.
    await deliver(busy.projectId, [
      ...traceEvents(30),
      ...traceEvents(31),
      { ...traceEvents(5)[0]!, event_id: "t005-late", parent_event_id: "t005-root" },
    ]);
    const rest: Summary[] = [];
    for (let cursor = first.next_cursor; cursor; ) {
      const next = await page(`&cursor=${cursor}`);
      rest.push(...next.traces);
      cursor = next.next_cursor;
    }
    const ids = [...first.traces, ...rest].map((t) => t.trace_id);
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => `t${String(19 - i).padStart(3, "0")}`));
    expect((await page("")).traces.slice(0, 2).map((t) => t.trace_id)).toEqual(["t031", "t030"]);
  });

  const sorts = {
    start_time: "start_time",
    duration: "duration_ms",
    cost: "total_cost",
    span_count: "span_count",
  } as const;
  for (const [sort, field] of Object.entries(sorts)) {
    for (const order of ["asc", "desc"] as const) {
      it(`sorts by ${sort} ${order} across pages`, async () => {
        const traces = await all(`sort=${sort}&order=${order}&to=${T0 + 40 * 60_000}`);
        expect(traces).toHaveLength(40);
        const key = (t: Summary) => [t[field] as number, t.trace_id] as const;
        const sorted = [...traces].sort((a, b) => key(a)[0] - key(b)[0] || (key(a)[1] < key(b)[1] ? -1 : 1));
        expect(traces.map((t) => t.trace_id)).toEqual(
          (order === "asc" ? sorted : sorted.reverse()).map((t) => t.trace_id),
        );
      });
    }
  }

  const expectations: Array<[string, (i: number, t: Summary) => boolean]> = [
    ["status=error", (i) => i % 5 === 0],
    ["name=rag", (i) => i % 2 === 0],
    // Any event's name, not only the root's (the Overview's "by name" rows link here); the other tenant's "chat" trace
    // never shows.
    ["event_name=chat", (i) => i % 4 >= 1],
    ["event_name=agent", (i) => i % 2 === 1],
    ["event_name=chat&status=error", (i) => i % 4 >= 1 && i % 5 === 0],
    ["model=claude-sonnet-4", (i) => i % 4 >= 2],
    ["user_id=user-1", (i) => i % 3 === 1],
    ["session_id=session-3", (i) => i % 7 === 3],
    ["tag=prod", (i) => i % 2 === 0],
    [`from=${T0 + 10 * 60_000}&to=${new Date(T0 + 20 * 60_000).toISOString()}`, (i) => i >= 10 && i < 20],
    ["min_duration_ms=500&max_duration_ms=800", (_, t) => t.duration_ms >= 500 && t.duration_ms <= 800],
    ["min_cost=0.05", (_, t) => t.total_cost >= 0.05],
    ["status=ok&model=gpt-4o&user_id=user-2", (i) => i % 5 !== 0 && i % 4 >= 1 && i % 3 === 2],
  ];
  for (const [query, keep] of expectations) {
    it(`filters by ${query}`, async () => {
      const everything = await all(`to=${T0 + 40 * 60_000}`);
      const expected = everything.filter((t) => keep(Number(t.trace_id.slice(1)), t)).map((t) => t.trace_id);
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(40);
      expect((await all(query)).map((t) => t.trace_id)).toEqual(expected);
    });
  }

  it("searches names and input/output text with q, only in the caller's project", async () => {
    expect((await all("q=zebulon")).map((t) => t.trace_id)).toEqual(["t007"]);
    expect((await all("q=refund approved")).map((t) => t.trace_id)).toEqual(["t007"]);
    expect((await all("q=refu*")).map((t) => t.trace_id)).toEqual(["t007"]);
    expect((await all("q=APPROVED_by")).map((t) => t.trace_id)).toEqual(["t007"]); // words split as the index splits them
    expect((await all("q=question 12")).map((t) => t.trace_id)).toEqual(["t012"]);
    expect(await all("q=nothing-matches-this")).toEqual([]);
    expect(await all(`q=${encodeURIComponent('"); DROP TABLE traces; --')}`)).toEqual(expect.any(Array));
  });

  it("answers bad parameters with 400 and the common error shape", async () => {
    for (const query of [
      "limit=0",
      "limit=1000",
      "status=maybe",
      "sort=name",
      "from=yesterday",
      "min_cost=-1",
      "cursor=garbage!!",
      // A cursor from another sort (it cut the cost-sorted list at a start time) or of the wrong shape.
      `sort=cost&cursor=${(await list("limit=1")).body.next_cursor}`,
      `sort=cost&cursor=${btoa(JSON.stringify(["x", "y"]))}`,
      "score_min=0.5", // a bound without the score's name (it listed every trace)
      "score_missing=true",
    ]) {
      const { status, body } = await list(query);
      expect(status, query).toBe(400);
      const code = query.includes("cursor=") ? "invalid_cursor" : "invalid_request";
      expect(body).toMatchObject({ error: { code, message: expect.any(String) } });
    }
  });

  it("refuses ingest keys and answers conditional requests with 304", async () => {
    expect((await read("/api/v1/traces", project.ingestKey)).status).toBe(403);
    const first = await list("limit=5");
    const etag = first.headers.get("ETag");
    expect(etag).toBeTruthy();
    const again = await read("/api/v1/traces?limit=5", project.secretKey, { "If-None-Match": etag! });
    expect(again.status).toBe(304);
  });

  it("serves the dashboard's session with the project named by header or query", async () => {
    const ada = await signUp("Ada");
    await deliver(ada.project.id, traceEvents(3));
    const byHeader = await ada.browser.request("/api/v1/traces", { headers: { "X-WatchLLM-Project": ada.project.id } });
    expect(((await byHeader.json()) as Page).traces.map((t) => t.trace_id)).toEqual(["t003"]);
    const byQuery = await ada.browser.request(`/api/v1/traces?project_id=${ada.project.id}&status=error`);
    expect(await byQuery.json()).toEqual({ traces: [], next_cursor: null });
    expect((await ada.browser.request("/api/v1/traces")).status).toBe(400);
  });
});
