// GET /api/v1/metrics?view=scores and measureScoreWindow: per score name and bucket, counts, means and label counts
// exactly as the raw scores give them, filters, a replaced score counted once, labels past the top ones, each
// project's scores to itself, and refused queries naming the allowed values.
import { beforeAll, describe, expect, it } from "vitest";
import { rng } from "../../bench/generate.ts";
import type { ErrorBody } from "../../contract/errors.ts";
import type { ScoreMetricsAnswer } from "../../contract/score-metrics.ts";
import { measureScoreWindow } from "../../src/metrics/scores.ts";
import { createProject, dataOf, deliver, deliverScores, makeEvent, read } from "./fixtures.ts";

const H = 3_600_000;
const T0 = Math.floor((Date.now() - 40 * H) / H) * H;
type Project = Awaited<ReturnType<typeof createProject>>;
type Wire = {
  score_id: string;
  trace_id: string;
  name: string;
  value: number | boolean | string;
  source: "api" | "feedback" | "eval";
  timestamp: number;
  context: { user_id: string };
};

/** `n` scores over 30 hours: a numeric `quality`, a boolean `thumbs`, a categorical `tone`, on ten traces. */
function scores(prefix: string, n: number, seed: number): Wire[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const pick = r();
    const name = pick < 0.4 ? "quality" : pick < 0.7 ? "thumbs" : "tone";
    const value =
      name === "quality" ? Math.round(r() * 100) / 100 : name === "thumbs" ? r() < 0.6 : ["good", "bad", "meh"][i % 3]!;
    return {
      score_id: `${prefix}-${i}`,
      trace_id: `${prefix}-t${i % 10}`,
      name,
      value,
      source: (["api", "feedback", "eval"] as const)[Math.floor(r() * 3)]!,
      timestamp: T0 + Math.floor(r() * 30 * H),
      context: { user_id: `u${Math.floor(r() * 3)}` },
    };
  });
}

/** What the answer must hold for `name` in [from, to) and buckets of `size`, from the raw scores. */
function expected(raw: Wire[], name: string, from: number, to: number, size: number) {
  const of = (list: Wire[]) => {
    const numbers = list.filter((s) => typeof s.value !== "string").map((s) => Number(s.value));
    const values: Record<string, number> = {};
    for (const s of list) if (typeof s.value === "string") values[s.value] = (values[s.value] ?? 0) + 1;
    return {
      count: list.length,
      avg: numbers.length ? numbers.reduce((a, b) => a + b, 0) / numbers.length : null,
      values,
    };
  };
  const mine = raw.filter((s) => s.name === name && s.timestamp >= from && s.timestamp < to);
  const points = [];
  for (let t = from; t < to; t += size)
    points.push({ t, ...of(mine.filter((s) => s.timestamp - (s.timestamp % size) === t)) });
  return { total: of(mine), points };
}

const close = (answer: ScoreMetricsAnswer["series"][number]["points"], want: ReturnType<typeof expected>["points"]) => {
  expect(answer.map((p) => [p.t, p.count, p.values])).toEqual(want.map((p) => [p.t, p.count, p.values]));
  answer.forEach((p, i) => {
    const w = want[i]!.avg;
    if (w === null) expect(p.avg).toBeNull();
    else expect(p.avg).toBeCloseTo(w, 9);
  });
};

const metrics = (p: Project, query: string) =>
  read<ScoreMetricsAnswer & ErrorBody>(`/api/v1/metrics?view=scores&${query}`, p.secretKey);

let a: Project;
let b: Project;
const rawA = scores("a", 600, 7);
const rawB = scores("b", 50, 11);

beforeAll(async () => {
  a = await createProject("score-metrics-a", 0);
  b = await createProject("score-metrics-b", 1);
  await deliverScores(a.projectId, rawA);
  // B's scores name A's trace ids: they stay B's.
  await deliverScores(
    b.projectId,
    rawB.map((s) => ({ ...s, trace_id: s.trace_id.replace("b-", "a-") })),
  );
  // A's traces 0–4 are `agent` runs, 5–9 `rag` runs.
  await deliver(
    a.projectId,
    Array.from({ length: 10 }, (_, i) =>
      makeEvent({ trace_id: `a-t${i}`, name: i < 5 ? "agent" : "rag", timestamp: T0 }),
    ),
  );
});

describe("GET /api/v1/metrics?view=scores", () => {
  it("matches the raw scores exactly per name and hour: count, mean, counts per label", async () => {
    const from = T0;
    const to = T0 + 30 * H;
    const res = await metrics(a, `from=${from}&to=${to}&interval=hour`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from, to, interval: "hour", view: "scores", filters: {}, more_names: 0 });
    expect(res.body.series.map((s) => s.name).sort()).toEqual(["quality", "thumbs", "tone"]);
    for (const s of res.body.series) {
      const want = expected(rawA, s.name, from, to, H);
      expect(s.total.count).toBe(want.total.count);
      expect(s.total.values).toEqual(want.total.values);
      close(s.points, want.points);
      expect(s.points).toHaveLength(30);
    }
    const byName = Object.fromEntries(res.body.series.map((s) => [s.name, s]));
    expect(byName.quality!.kinds).toEqual(["numeric"]);
    expect(byName.thumbs!.kinds).toEqual(["boolean"]);
    expect(byName.tone!.kinds).toEqual(["categorical"]);
    expect(byName.tone!.total.avg).toBeNull();
    expect(byName.thumbs!.total.avg).toBeCloseTo(expected(rawA, "thumbs", from, to, H).total.avg!, 9);
    // The most scored name first.
    const counts = res.body.series.map((s) => s.total.count);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
  });

  it("filters by name, source, user and the trace's name, exactly", async () => {
    const from = T0;
    const to = T0 + 30 * H;
    const check = async (query: string, keep: (s: Wire) => boolean) => {
      const res = await metrics(a, `from=${from}&to=${to}&interval=day&${query}`);
      expect(res.status, query).toBe(200);
      const kept = rawA.filter(keep);
      for (const s of res.body.series) {
        const want = expected(kept, s.name, res.body.from, res.body.to, 24 * H);
        expect(s.total.count, `${query} ${s.name}`).toBe(want.total.count);
        close(s.points, want.points);
      }
      expect(new Set(res.body.series.map((s) => s.name))).toEqual(new Set(kept.map((s) => s.name)));
      return res.body;
    };
    const within = (s: Wire) => s.timestamp >= from && s.timestamp < to;
    expect((await check("name=quality&name=tone", (s) => s.name !== "thumbs")).filters).toEqual({
      name: ["quality", "tone"],
    });
    await check("source=feedback", (s) => within(s) && s.source === "feedback");
    await check("user_id=u1&source=api", (s) => within(s) && s.context.user_id === "u1" && s.source === "api");
    await check("trace_name=agent", (s) => within(s) && Number(s.trace_id.slice(3)) < 5);
  });

  it("shows the most scored names up to `limit`, and counts labels past the top 20 together", async () => {
    const p = await createProject("score-metrics-labels");
    const many = Array.from({ length: 25 }, (_, i) => ({
      score_id: `l-${i}`,
      trace_id: "t",
      name: "topic",
      value: `topic-${i}`,
      timestamp: T0 + 1,
    }));
    const extra = Array.from({ length: 5 }, (_, i) => ({
      score_id: `x-${i}`,
      trace_id: "t",
      name: "x",
      value: 1,
      timestamp: T0,
    }));
    await deliverScores(p.projectId, [
      ...many,
      ...many.slice(0, 3).map((s) => ({ ...s, score_id: `${s.score_id}b` })),
      ...extra,
    ]);
    const res = await metrics(p, `from=${T0}&to=${T0 + H}&limit=1`);
    expect(res.body.series.map((s) => s.name)).toEqual(["topic"]);
    expect(res.body.more_names).toBe(1);
    const topic = res.body.series[0]!;
    expect(topic.total.count).toBe(28);
    expect(Object.keys(topic.total.values)).toHaveLength(20);
    expect(topic.total.values["topic-0"]).toBe(2);
    expect(topic.other_labels).toBe(28 - Object.values(topic.total.values).reduce((x, y) => x + y, 0));
  });

  it("counts a replaced score once, with its latest value", async () => {
    const p = await createProject("score-metrics-replace");
    const copy = (value: number, at: number) => ({ score_id: "s-1", trace_id: "t", name: "q", value, timestamp: at });
    await deliverScores(p.projectId, [copy(0.2, T0 + 10), copy(0.9, T0 + 20)]);
    await deliverScores(p.projectId, [copy(0.1, T0 + 5)]);
    const res = await metrics(p, `from=${T0}&to=${T0 + H}`);
    expect(res.body.series).toHaveLength(1);
    expect(res.body.series[0]!.total).toEqual({ count: 1, avg: 0.9, values: {} });
  });

  it("keeps each project's scores to itself, even scores naming another project's trace ids", async () => {
    const resB = await metrics(b, `from=${T0}&to=${T0 + 30 * H}&interval=day`);
    const total = resB.body.series.reduce((n, s) => n + s.total.count, 0);
    expect(total).toBe(rawB.length);
    // B's scores name a-t0…a-t9, which are A's `agent` and `rag` traces: B has no such traces.
    const named = await metrics(b, `from=${T0}&to=${T0 + 30 * H}&trace_name=agent`);
    expect(named.body.series).toEqual([]);
    const resA = await metrics(a, `from=${T0}&to=${T0 + 30 * H}&interval=day`);
    expect(resA.body.series.reduce((n, s) => n + s.total.count, 0)).toBe(rawA.length);
  });

  it("refuses bad queries with the allowed values", async () => {
    const bad = async (query: string) => {
      const res = await metrics(a, query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
      return res.body.error.details as Record<string, unknown>;
    };
    expect((await bad("metrics=count")).allowed).toEqual(expect.arrayContaining(["name", "source", "trace_name"]));
    expect((await bad("source=robot")).allowed).toEqual(["api", "sdk", "feedback", "annotation", "eval"]);
    expect((await bad("interval=week")).allowed).toEqual(["minute", "hour", "day"]);
    expect((await bad(`from=${T0}&to=${T0 + 3 * 24 * H}&interval=minute`)).max_points).toBe(1440);
    await bad(`from=${T0 + H}&to=${T0}`);
    await bad("limit=0");
    await bad("limit=101");
    const unknownView = await read<ErrorBody>("/api/v1/metrics?view=judgements", a.secretKey);
    expect(unknownView.status).toBe(400);
    expect((unknownView.body.error.details as { allowed: string[] }).allowed).toEqual(["events", "traces", "scores"]);
  });
});

describe("measureScoreWindow", () => {
  it("gives a score name's mean and count over a window, whole or per user and per trace name", async () => {
    const data = await dataOf(a.projectId);
    const from = T0 + 2 * H;
    const to = T0 + 20 * H;
    const mean = (list: Wire[]) => list.reduce((n, s) => n + Number(s.value), 0) / list.length;
    const inWindow = rawA.filter((s) => s.name === "quality" && s.timestamp >= from && s.timestamp < to);
    const [whole] = await measureScoreWindow(data, a.projectId, { name: "quality", from, to });
    expect(whole!.group).toBeNull();
    expect(whole!.count).toBe(inWindow.length);
    expect(whole!.value).toBeCloseTo(mean(inWindow), 9);

    const byUser = await measureScoreWindow(data, a.projectId, { name: "quality", from, to, group_by: "user_id" });
    expect(byUser.map((g) => g.group!.user_id).sort()).toEqual(["u0", "u1", "u2"]);
    for (const g of byUser) {
      const mine = inWindow.filter((s) => s.context.user_id === g.group!.user_id);
      expect(g.count).toBe(mine.length);
      expect(g.value).toBeCloseTo(mean(mine), 9);
    }

    const byTrace = await measureScoreWindow(data, a.projectId, {
      name: "thumbs",
      from,
      to,
      group_by: "name",
      filters: { source: ["feedback"] },
    });
    for (const g of byTrace) {
      const mine = rawA.filter(
        (s) =>
          s.name === "thumbs" &&
          s.source === "feedback" &&
          s.timestamp >= from &&
          s.timestamp < to &&
          (Number(s.trace_id.slice(3)) < 5 ? "agent" : "rag") === g.group!.name,
      );
      expect(g.count).toBe(mine.length);
      expect(g.value).toBeCloseTo(mean(mine), 9);
    }
    expect(byTrace.map((g) => g.group!.name).sort()).toEqual(["agent", "rag"]);

    const none = await measureScoreWindow(data, a.projectId, { name: "nothing", from, to });
    expect(none).toEqual([{ group: null, value: null, count: 0 }]);
    // Labels have no mean: a name of labels only counts none (min_count compares the scores the mean covers).
    expect(rawA.some((s) => s.name === "tone" && s.timestamp >= from && s.timestamp < to)).toBe(true);
    const labels = await measureScoreWindow(data, a.projectId, { name: "tone", from, to });
    expect(labels).toEqual([{ group: null, value: null, count: 0 }]);
  });

  it("gives every group, past a hundred, in group order", async () => {
    const many = await createProject("score-metrics-many", 0);
    const users = Array.from({ length: 120 }, (_, i) => `u${String(i).padStart(3, "0")}`);
    await deliverScores(
      many.projectId,
      users.map((user, i) => ({
        trace_id: `many-t${i}`,
        name: "many",
        value: i / 120,
        timestamp: T0,
        context: { user_id: user },
      })),
    );
    const data = await dataOf(many.projectId);
    const byUser = await measureScoreWindow(data, many.projectId, {
      name: "many",
      from: T0,
      to: T0 + H,
      group_by: "user_id",
    });
    expect(byUser.map((g) => g.group!.user_id)).toEqual(users);
    expect(byUser[7]).toEqual({ group: { user_id: "u007" }, value: 7 / 120, count: 1 });
  });
});
