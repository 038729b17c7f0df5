// GET /api/v1/traces/:trace_id and /events/:event_id: depth-first tree, orphans, duplicates, cycles, deep and wide
// traces, body inlining limits.
import { beforeAll, describe, expect, it } from "vitest";
import { TREE_LIMITS } from "../../contract/limits.ts";
import { createProject, deliver, postEvents, read, waitFor } from "./fixtures.ts";

type TreeEvent = {
  event_id: string;
  name: string;
  parent_event_id: string | null;
  depth: number;
  child_count: number;
  orphan: boolean;
  cycle: boolean;
  type: string;
  body: unknown;
  body_truncated: boolean;
  preview: string | null;
};
type Tree = { trace: { trace_id: string; span_count: number }; events: TreeEvent[] };

const T0 = 1_764_000_000_000;
let project: Awaited<ReturnType<typeof createProject>>;
/** Event ids are unique per project, so each is prefixed with its trace; `name` keeps the short id. */
const ev = (trace_id: string, id: string, parent: string | null, at: number, extra: Record<string, unknown> = {}) => ({
  trace_id,
  event_id: `${trace_id}:${id}`,
  parent_event_id: parent && `${trace_id}:${parent}`,
  type: "span",
  name: id,
  timestamp: T0 + at,
  duration_ms: 5,
  ...extra,
});
const tree = (id: string) => read<Tree>(`/api/v1/traces/${id}`, project.secretKey);
const shape = (t: Tree) =>
  t.events.map((e) => `${"  ".repeat(e.depth)}${e.name}${e.orphan ? " orphan" : ""}${e.cycle ? " cycle" : ""}`);

beforeAll(async () => {
  project = await createProject("tree");
});

describe("GET /api/v1/traces/:trace_id", () => {
  it("returns events depth-first with depth, siblings by timestamp, orphans at the root level", async () => {
    await deliver(project.projectId, [
      ev("t1", "root", null, 0),
      ev("t1", "b", "root", 20),
      ev("t1", "a", "root", 10),
      ev("t1", "a2", "a", 11),
      ev("t1", "a1", "a", 11),
      ev("t1", "lost", "never-arrived", 5),
    ]);
    const { status, body } = await tree("t1");
    expect(status).toBe(200);
    expect(shape(body)).toEqual(["root", "  a", "    a1", "    a2", "  b", "lost orphan"]);
    expect(body.events.find((e) => e.name === "a")).toMatchObject({ child_count: 2, parent_event_id: "t1:root" });
  });

  it("collapses duplicate deliveries of an event", async () => {
    const batch = [ev("t2", "root", null, 0), ev("t2", "child", "root", 1)];
    await deliver(project.projectId, batch);
    await deliver(project.projectId, batch);
    // The same events again through the API, with a marker in the same queue message: once it is stored, so was the rest.
    const marker = ev("t2-marker", "root", null, 0);
    expect((await postEvents({ events: [...batch, marker] }, { key: project.ingestKey })).status).toBe(202);
    await waitFor(
      () => tree("t2-marker"),
      (r) => r.status === 200,
    );
    const { body } = await tree("t2");
    expect(shape(body)).toEqual(["root", "  child"]);
    expect(body.trace.span_count).toBe(2);
  });

  it("breaks parent cycles at their earliest event and flags it", async () => {
    await deliver(project.projectId, [
      ev("t3", "root", null, 0),
      ev("t3", "x", "y", 10),
      ev("t3", "y", "x", 20),
      ev("t3", "below", "y", 30),
      ev("t3", "self", "self", 40),
    ]);
    expect(shape((await tree("t3")).body)).toEqual(["root", "x cycle", "  y", "    below", "self cycle"]);
  });

  it("serves a 10,000-deep chain without overflowing a stack", async () => {
    const chain = Array.from({ length: 10_000 }, (_, i) => ev("deep", `d${i}`, i ? `d${i - 1}` : null, i));
    await deliver(project.projectId, chain);
    const { status, body } = await tree("deep");
    expect(status).toBe(200);
    expect(body.events).toHaveLength(10_000);
    expect(body.events[9_999]).toMatchObject({ name: "d9999", depth: 9_999, child_count: 0 });
  });

  it("keeps a 10,000-span trace light: no bodies or previews inline, a flag, full bodies per event", async () => {
    const wide = [
      ev("wide", "w-root", null, 0),
      ...Array.from({ length: 9_999 }, (_, i) =>
        ev("wide", `w${i}`, "w-root", 1 + i, {
          type: "model_response",
          body: { input: "hi", output: `answer ${i} `.repeat(20) },
        }),
      ),
    ];
    await deliver(project.projectId, wide);
    const res = await tree("wide");
    expect(res.body.events).toHaveLength(10_000);
    const row = res.body.events[1]!;
    expect(row).toMatchObject({ body: null, body_truncated: true, preview: null });
    expect(JSON.stringify(res.body).length).toBeLessThan(10_000 * 500);
    const full = await read(`/api/v1/traces/wide/events/${encodeURIComponent("wide:w0")}`, project.secretKey);
    expect(full.body.event.body.output).toMatch(/^answer 0 /);
  });

  it("inlines small bodies, flags large ones and previews output text in ordinary traces", async () => {
    await deliver(project.projectId, [
      ev("t4", "small", null, 0, { body: { input: "short" } }),
      ev("t4", "large", "small", 1, { body: { output: "x".repeat(TREE_LIMITS.inlineBodyBytes * 2) } }),
    ]);
    const [small, large] = (await tree("t4")).body.events;
    expect(small).toMatchObject({ body: { input: "short" }, body_truncated: false, preview: "short" });
    expect(large).toMatchObject({ body: null, body_truncated: true, preview: "x".repeat(160) });
    const full = await read(`/api/v1/traces/t4/events/t4:large`, project.secretKey);
    expect(full.status).toBe(200);
    expect(full.body.event).toMatchObject({
      event_id: "t4:large",
      trace_id: "t4",
      parent_event_id: "t4:small",
      truncated: false,
    });
    expect((full.body.event.body as { output: string }).output).toHaveLength(TREE_LIMITS.inlineBodyBytes * 2);
  });

  it("answers 404 for unknown traces and for events of another trace", async () => {
    expect((await tree("nope")).body).toMatchObject({ error: { code: "not_found" } });
    expect((await tree("nope")).status).toBe(404);
    expect((await read(`/api/v1/traces/t1/events/t4:large`, project.secretKey)).status).toBe(404);
    expect((await read(`/api/v1/traces/t4/events/none`, project.secretKey)).status).toBe(404);
  });

  it("is reachable through the real ingest path", async () => {
    expect((await postEvents([ev("t5", "via-http", null, 0)], { key: project.ingestKey })).status).toBe(202);
    const { body } = await waitFor(
      () => tree("t5"),
      (r) => r.status === 200,
    );
    expect(shape(body)).toEqual(["via-http"]);
  });

  it("answers 304 while the trace is unchanged and a new ETag once an event arrives", async () => {
    await deliver(project.projectId, [ev("t6", "root", null, 0)]);
    const first = await tree("t6");
    const tag = first.headers.get("ETag")!;
    expect((await read("/api/v1/traces/t6", project.secretKey, { "If-None-Match": tag })).status).toBe(304);
    await deliver(project.projectId, [ev("t6", "late", "root", 5)]);
    const changed = await read<Tree>("/api/v1/traces/t6", project.secretKey, { "If-None-Match": tag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("ETag")).not.toBe(tag);
    expect(shape(changed.body)).toEqual(["root", "  late"]);
  });

  it("answers the same tree as columns with ?format=columns, under its own ETag", async () => {
    // Orphans, cycles, inlined and flagged bodies, previews, a 10,000-deep chain and a 10,000-span trace.
    for (const id of ["t1", "t3", "t4", "deep", "wide"]) {
      const rows = await tree(id);
      const columns = await read<{ trace: unknown; scores: unknown[]; columns: Record<string, unknown[]> }>(
        `/api/v1/traces/${id}?format=columns`,
        project.secretKey,
      );
      expect(columns.status).toBe(200);
      const fields = Object.keys(columns.body.columns);
      expect(fields.sort()).toEqual(Object.keys(rows.body.events[0]!).sort());
      const asRows = columns.body.columns.event_id!.map((_, i) =>
        Object.fromEntries(fields.map((f) => [f, columns.body.columns[f]![i]])),
      );
      expect(asRows).toEqual(rows.body.events);
      expect(columns.body.trace).toEqual(rows.body.trace);
      expect(columns.headers.get("ETag")).not.toBe(rows.headers.get("ETag"));
      const tag = rows.headers.get("ETag")!;
      expect(
        (await read(`/api/v1/traces/${id}?format=columns`, project.secretKey, { "If-None-Match": tag })).status,
      ).toBe(200);
    }
    const wide = await read(`/api/v1/traces/wide?format=columns`, project.secretKey);
    const objects = await tree("wide");
    // No field name repeated per event: well under half the bytes of the answer of objects.
    expect(JSON.stringify(wide.body).length).toBeLessThan(JSON.stringify(objects.body).length / 2);
    expect((await read(`/api/v1/traces/t1?format=rows`, project.secretKey)).status).toBe(400);
  });

  it("answers the tree's first N rows with ?format=columns&head=N, placed as in the whole tree", async () => {
    type Columns = { trace: unknown; scores: unknown[]; columns: Record<string, unknown[]> };
    for (const [id, n] of [
      ["t1", 3],
      ["t3", 90],
      ["t4", 2],
      ["deep", 60],
      ["wide", 60],
    ] as const) {
      const whole = await read<Columns>(`/api/v1/traces/${id}?format=columns`, project.secretKey);
      const head = await read<Columns>(`/api/v1/traces/${id}?format=columns&head=${n}`, project.secretKey);
      expect([id, head.status, head.status === 200 ? null : head.body]).toEqual([id, 200, null]);
      expect(head.body.trace).toEqual(whole.body.trace);
      expect(head.body.scores).toEqual(whole.body.scores);
      const firstRows = Object.fromEntries(Object.entries(whole.body.columns).map(([f, xs]) => [f, xs.slice(0, n)]));
      expect(head.body.columns).toEqual(firstRows);
      expect(head.body.columns.event_id!.length).toBe(Math.min(n, whole.body.columns.event_id!.length));
      // Its own ETag: a cached head is never taken for the whole tree.
      expect(head.headers.get("ETag")).not.toBe(whole.headers.get("ETag"));
      // The Worker's own time, beside the network's, for a page's timeline (bench/ui-boot.ts).
      expect(head.headers.get("Server-Timing")).toMatch(/^total;dur=[\d.]+;desc="Worker"$/);
    }
    // Links are read as texts of up to 4,096 rowids each: a trace whose events lie far apart in the table (another
    // trace's 4,100 written between its two halves) and whose ids have the longest length is placed as whole.
    const long = (id: string) => id.padEnd(128 - "spread:".length, "~");
    await deliver(project.projectId, [
      ev("spread", long("root"), null, 0),
      ...Array.from({ length: 10 }, (_, i) => ev("spread", long(`a${i}`), long("root"), 10 + i)),
    ]);
    await deliver(
      project.projectId,
      Array.from({ length: 4_100 }, (_, i) => ev("filler", `e${i}`, i ? "e0" : null, i)),
    );
    await deliver(project.projectId, [
      ...Array.from({ length: 10 }, (_, i) => ev("spread", long(`b${i}`), long(`a${i % 3}`), 5 + i)),
      ev("spread", long("lost"), long("never-arrived"), 1),
    ]);
    const whole = await read<Columns>("/api/v1/traces/spread?format=columns", project.secretKey);
    const head = await read<Columns>("/api/v1/traces/spread?format=columns&head=15", project.secretKey);
    expect(whole.body.columns.event_id).toHaveLength(22);
    expect(head.body.columns).toEqual(
      Object.fromEntries(Object.entries(whole.body.columns).map(([f, xs]) => [f, xs.slice(0, 15)])),
    );
    for (const bad of ["0", "91", "x"])
      expect((await read(`/api/v1/traces/t1?format=columns&head=${bad}`, project.secretKey)).status).toBe(400);
  });
});
