// GET /api/v1/metrics and measureWindow: exact counts, tokens and cost against the raw events, percentiles within 1% of
// the exact nearest-rank value, redelivered events counted once, deletions reflected, both data databases, tenant
// isolation, and refused queries naming the allowed values.
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { rng } from "../../bench/generate.ts";
import type { ErrorBody } from "../../contract/errors.ts";
import type { MetricsAnswer } from "../../contract/metrics.ts";
import { inUsersTraces } from "../../src/db/queries/metrics.ts";
import { eraseRollupsStep } from "../../src/db/writes/erase.ts";
import { rebuildDirtyDays } from "../../src/db/writes/metrics-days.ts";
import { MINUTE_MS } from "../../src/lib/time.ts";
import { runRetention } from "../../src/maintenance/retention.ts";
import { measureWindow } from "../../src/metrics/measure.ts";
import { metricsParams } from "../../src/metrics/params.ts";
import { projectMetrics } from "../../src/metrics/series.ts";
import { createProject, dataOf, deliver, read } from "./fixtures.ts";
import { exact, within1 } from "./percentiles.ts";

const H = 3_600_000;
/** Two days ago, at the start of a UTC day or later: minute rollups are written for the last 48 hours only. */
const T0 = Math.floor((Date.now() - 40 * H) / H) * H;
const DAY = 24 * H;
type Project = Awaited<ReturnType<typeof createProject>>;
type Wire = Record<string, unknown> & {
  event_id: string;
  type: string;
  timestamp: number;
  duration_ms: number;
  model?: string;
  name: string;
  status: string;
  first_token_ms?: number;
  usage?: { input_tokens: number; output_tokens: number; cached_input_tokens: number };
  cost_usd?: number;
  context: { user_id: string; environment?: string; release?: string };
};

/** `n` events over 50 hours: spans and model calls of two models, errors, two environments, log-normal latencies. */
function events(prefix: string, n: number, seed: number): Wire[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const call = r() < 0.7;
    const model = r() < 0.6 ? "gpt-4o" : "claude-sonnet-4-5";
    const e: Wire = {
      event_id: `${prefix}-${i}`,
      trace_id: `${prefix}-t${Math.floor(i / 4)}`,
      type: call ? "model_response" : "span",
      name: r() < 0.5 ? "agent" : "rag",
      timestamp: T0 + Math.floor(r() * 50 * H),
      duration_ms: Math.round(Math.exp(4 + 2 * r() + r()) * 100) / 100,
      status: r() < 0.1 ? "error" : "ok",
      context: { user_id: `u${Math.floor(r() * 5)}`, environment: r() < 0.8 ? "production" : "staging", release: "v1" },
    };
    if (call) {
      e.model = model;
      e.provider = model.startsWith("gpt") ? "openai" : "anthropic";
      e.usage = {
        input_tokens: Math.floor(r() * 2000),
        output_tokens: Math.floor(r() * 500),
        cached_input_tokens: Math.floor(r() * 100),
      };
      e.cost_usd = Math.round(r() * 1e6) / 1e9;
      if (r() < 0.5) e.first_token_ms = Math.round(r() * 2000 * 10) / 10 + 1;
    }
    return e;
  });
}

const metrics = (p: Project, query: string) => read<MetricsAnswer & ErrorBody>(`/api/v1/metrics?${query}`, p.secretKey);

const ALL =
  "count,error_count,error_rate,latency_avg,latency_p50,latency_p95,latency_p99,first_token_p95,input_tokens,output_tokens,cached_input_tokens,cost";

let a: Project;
let b: Project;
let sent: Wire[];

beforeAll(async () => {
  a = await createProject("metrics-a", 0);
  b = await createProject("metrics-b", 1);
  sent = events("a", 900, 7);
  await deliver(a.projectId, sent);
  // Redelivery (the queue's at-least-once) and a late copy inside a later batch: each event counts once.
  await deliver(a.projectId, sent.slice(0, 300));
  await deliver(a.projectId, [...sent.slice(600, 650), ...events("late", 0, 1)]);
  await deliver(b.projectId, events("b", 40, 9));
});

/** The sums the answer must match, over events `es`. */
function sums(es: Wire[]) {
  return {
    count: es.length,
    error_count: es.filter((e) => e.status === "error").length,
    input_tokens: es.reduce((n, e) => n + (e.usage?.input_tokens ?? 0), 0),
    output_tokens: es.reduce((n, e) => n + (e.usage?.output_tokens ?? 0), 0),
    cached_input_tokens: es.reduce((n, e) => n + (e.usage?.cached_input_tokens ?? 0), 0),
  };
}

function expectExact(values: Record<string, number | null>, es: Wire[]) {
  expect(values).toMatchObject(sums(es));
  expect(values.cost).toBeCloseTo(
    es.reduce((n, e) => n + (e.cost_usd ?? 0), 0),
    9,
  );
  expect(values.error_rate).toBeCloseTo(es.filter((e) => e.status === "error").length / es.length, 12);
  const durations = es.map((e) => e.duration_ms);
  expect(values.latency_avg).toBeCloseTo(durations.reduce((x, y) => x + y, 0) / durations.length, 6);
  within1(values.latency_p50, exact(durations, 0.5));
  within1(values.latency_p95, exact(durations, 0.95));
  within1(values.latency_p99, exact(durations, 0.99));
  within1(
    values.first_token_p95,
    exact(
      es.flatMap((e) => (e.first_token_ms ? [e.first_token_ms] : [])),
      0.95,
    ),
  );
}

describe("GET /api/v1/metrics", () => {
  it("matches the raw events exactly (counts, tokens, cost) and percentiles within 1%, each event once", async () => {
    const { status, body } = await metrics(a, `from=${T0}&to=${T0 + 50 * H}&interval=hour&metrics=${ALL}`);
    expect(status).toBe(200);
    expect(body.series).toHaveLength(1);
    expect(body.series[0]!.group).toEqual({});
    expect(body.series[0]!.points).toHaveLength(50);
    expectExact(body.series[0]!.total, sent);
    // Every hour's point, too.
    for (const point of body.series[0]!.points) {
      const inHour = sent.filter((e) => e.timestamp >= point.t && e.timestamp < point.t + H);
      expect(point.count).toBe(inHour.length);
      if (inHour.length)
        within1(
          point.latency_p95,
          exact(
            inHour.map((e) => e.duration_ms),
            0.95,
          ),
        );
      else expect(point.latency_p95).toBeNull();
    }
  });

  it("groups by two fields across days, with filters, exact per group", async () => {
    const { status, body } = await metrics(
      a,
      `from=${T0}&to=${T0 + 72 * H}&interval=day&metrics=${ALL}&group_by=model,environment&type=model_response&status=ok&status=error`,
    );
    expect(status).toBe(200);
    expect(body.interval).toBe("day");
    expect(body.series).toHaveLength(4);
    for (const s of body.series) {
      const es = sent.filter(
        (e) =>
          e.type === "model_response" && e.model === s.group.model && e.context.environment === s.group.environment,
      );
      expectExact(s.total, es);
      const first = Math.floor(T0 / DAY) * DAY;
      expect(s.points.map((p) => p.t)).toEqual([0, 1, 2, 3].map((d) => first + d * DAY).filter((t) => t < T0 + 72 * H));
      expect(s.points.reduce((n, p) => n + (p.count ?? 0), 0)).toBe(es.length);
    }
    // Ordered by the first metric, highest first.
    const counts = body.series.map((s) => s.total.count!);
    expect(counts).toEqual([...counts].sort((x, y) => y - x));
  });

  it("serves a whole day of minute points (1,440)", async () => {
    const to = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
    const { status, body } = await metrics(a, `from=${to - DAY}&to=${to}&interval=minute&metrics=count,latency_p95`);
    expect(status).toBe(200);
    expect(body.series[0]!.points).toHaveLength(1440);
    expect(body.series[0]!.total.count).toBe(sent.filter((e) => e.timestamp >= to - DAY && e.timestamp < to).length);
    // The last 24 hours from any second: 1,441 minute buckets (the ends widened to whole minutes).
    const unaligned = await metrics(a, `from=${to - DAY + 1_234}&to=${to + 1_234}&interval=minute&metrics=count`);
    expect(unaligned.status).toBe(200);
    expect(unaligned.body.series[0]!.points).toHaveLength(1441);
  });

  it("reads series of all events from the whole-project rollups, by type and status from the coarse ones: equal to the full ones, exact", async () => {
    const d1 = await dataOf(a.projectId);
    const to = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
    const queries = [
      { from: to - DAY, to, interval: "minute", metrics: ALL },
      { from: T0, to: T0 + 50 * H, interval: "hour", metrics: ALL },
      { from: T0, to: T0 + 50 * H, interval: "hour", metrics: ALL, group_by: "type,status" },
      { from: to - 6 * H, to, interval: "minute", metrics: ALL, group_by: "status", type: "model_response" },
      { from: T0 + 3 * H, to: T0 + 30 * H, interval: "hour", metrics: "latency_p95,count", status: "error" },
    ];
    // Equal up to floating-point summation order (sums of reals added in another grouping).
    const rounded = (x: unknown) =>
      JSON.parse(JSON.stringify(x, (_, v) => (typeof v === "number" ? Number(v.toPrecision(12)) : v)));
    const rows = async (table: string, from: number, to: number) =>
      Number(
        await d1
          .prepare(`SELECT count(*) AS n FROM ${table} WHERE project_id = ? AND bucket >= ? AND bucket < ?`)
          .bind(a.projectId, from, to)
          .first("n"),
      );
    for (const q of queries) {
      const raw = Object.fromEntries(Object.entries(q).map(([k, v]) => [k, [String(v)]]));
      const params = metricsParams(raw, Date.now());
      const narrowest = await projectMetrics(d1, a.projectId, params);
      const coarse = await projectMetrics(d1, a.projectId, params, { rollups: "coarse" });
      const full = await projectMetrics(d1, a.projectId, params, { rollups: "full" });
      expect(rounded(narrowest), JSON.stringify(q)).toEqual(rounded(full));
      expect(rounded(coarse), JSON.stringify(q)).toEqual(rounded(full));
      // Each metric read alone (only the columns it needs) as in the read of all of them.
      const every = await projectMetrics(d1, a.projectId, { ...params, metrics: ALL.split(",") as never });
      for (const m of ALL.split(",")) {
        const alone = await projectMetrics(d1, a.projectId, { ...params, metrics: [m as never] });
        // By group: the groups are ranked by the first metric, so another metric alone may order them otherwise.
        const values = (x: MetricsAnswer) =>
          Object.fromEntries(
            x.series.map((g) => [JSON.stringify(g.group), [g.total[m], ...g.points.map((p) => p[m])]]),
          );
        expect(rounded(values(alone)), `${m} ${JSON.stringify(q)}`).toEqual(rounded(values(every)));
      }
      // And the narrower rows are what was read: far fewer than the full rows of the same range.
      const grain = q.interval === "minute" ? "minute" : "hourly";
      const [full_, coarse_, total_] = await Promise.all(
        ["metrics", "metrics_coarse", "metrics_total"].map((t) => rows(`${t}_${grain}`, q.from, q.to)),
      );
      expect(coarse_).toBeLessThan(full_!);
      expect(total_).toBeLessThan(coarse_!);
      // One whole-project row per bucket that holds events.
      const buckets = new Set(
        sent
          .filter((e) => e.timestamp >= q.from && e.timestamp < q.to)
          .map((e) => Math.floor(e.timestamp / (grain === "minute" ? MINUTE_MS : H))),
      );
      expect(total_).toBe(buckets.size);
    }
    // Each minute of the last 24 hours exact against the events.
    const { body } = await metrics(a, `from=${to - DAY}&to=${to}&interval=minute&metrics=${ALL}`);
    const inDay = sent.filter((e) => e.timestamp >= to - DAY && e.timestamp < to);
    expectExact(body.series[0]!.total, inDay);
    for (const point of body.series[0]!.points) {
      const inMinute = inDay.filter((e) => e.timestamp >= point.t && e.timestamp < point.t + MINUTE_MS);
      expect(point.count).toBe(inMinute.length);
      if (inMinute.length) expectExact(point, inMinute);
    }
  });

  it("reads minute buckets, and sums the groups past `limit` into one `other` group", async () => {
    const from = T0 + 20 * H;
    const { body } = await metrics(
      a,
      `from=${from}&to=${from + 2 * H}&interval=minute&metrics=count,latency_p95&group_by=name&limit=1`,
    );
    expect(body.series.map((s) => s.group)).toEqual([
      expect.objectContaining({ name: expect.any(String) }),
      { other: true },
    ]);
    expect(body.series[0]!.points).toHaveLength(120);
    const es = sent.filter((e) => e.timestamp >= from && e.timestamp < from + 2 * H);
    expect(body.series.reduce((n, s) => n + s.total.count!, 0)).toBe(es.length);
    const other = es.filter((e) => e.name !== body.series[0]!.group.name);
    within1(
      body.series[1]!.total.latency_p95,
      exact(
        other.map((e) => e.duration_ms),
        0.95,
      ),
    );
    const minute = body.series[0]!.points.find((p) => p.count! > 0)!;
    const inMinute = es.filter(
      (e) => e.name === body.series[0]!.group.name && e.timestamp >= minute.t && e.timestamp < minute.t + MINUTE_MS,
    );
    expect(minute.count).toBe(inMinute.length);
  });

  it("groups by end user (top users by cost)", async () => {
    const { body } = await metrics(
      a,
      `from=${T0}&to=${T0 + 50 * H}&metrics=cost,count,latency_p95&group_by=user_id&limit=3`,
    );
    expect(body.series).toHaveLength(4);
    for (const s of body.series.slice(0, 3)) {
      const es = sent.filter((e) => e.context.user_id === s.group.user_id);
      expect(s.total.count).toBe(es.length);
      expect(s.total.cost).toBeCloseTo(
        es.reduce((n, e) => n + (e.cost_usd ?? 0), 0),
        9,
      );
      within1(
        s.total.latency_p95,
        exact(
          es.map((e) => e.duration_ms),
          0.95,
        ),
      );
    }
  });

  it("groups by end user and model: each group exact against the events, the rest summed into `other`", async () => {
    const from = T0;
    const to = T0 + 50 * H;
    const { status, body } = await metrics(
      a,
      `from=${from}&to=${to}&interval=hour&metrics=cost,count,latency_p95,first_token_p95&group_by=user_id,model&limit=4`,
    );
    expect(status).toBe(200);
    expect(body.series).toHaveLength(5);
    expect(body.series[4]!.group).toEqual({ other: true });
    const inRange = sent.filter((e) => e.timestamp >= from && e.timestamp < to);
    const shown = new Set<Wire>();
    for (const s of body.series.slice(0, 4)) {
      const es = inRange.filter((e) => e.context.user_id === s.group.user_id && (e.model ?? null) === s.group.model);
      for (const e of es) shown.add(e);
      expect(s.total.count).toBe(es.length);
      expect(s.total.cost).toBeCloseTo(
        es.reduce((n, e) => n + (e.cost_usd ?? 0), 0),
        9,
      );
      within1(
        s.total.latency_p95,
        exact(
          es.map((e) => e.duration_ms),
          0.95,
        ),
      );
      within1(
        s.total.first_token_p95,
        exact(
          es.flatMap((e) => (e.first_token_ms ? [e.first_token_ms] : [])),
          0.95,
        ),
      );
      expect(s.points.reduce((n, p) => n + p.count!, 0)).toBe(es.length);
    }
    // The rest: every other event, with its percentile within 1% (sketches subtract exactly).
    const rest = inRange.filter((e) => !shown.has(e));
    expect(body.series[4]!.total.count).toBe(rest.length);
    within1(
      body.series[4]!.total.latency_p95,
      exact(
        rest.map((e) => e.duration_ms),
        0.95,
      ),
    );
    const costs = body.series.map((s) => s.total.cost!);
    expect(costs.slice(0, 4)).toEqual([...costs.slice(0, 4)].sort((x, y) => y - x));
  });

  it("filters by end user together with other fields, exact", async () => {
    const { status, body } = await metrics(
      a,
      `from=${T0}&to=${T0 + 72 * H}&interval=day&metrics=${ALL}&user_id=u1&user_id=u3&environment=production&group_by=name`,
    );
    expect(status).toBe(200);
    expect(body.series.map((s) => s.group.name).sort()).toEqual(["agent", "rag"]);
    for (const s of body.series) {
      const es = sent.filter(
        (e) =>
          ["u1", "u3"].includes(e.context.user_id) && e.context.environment === "production" && e.name === s.group.name,
      );
      expectExact(s.total, es);
    }
    const none = await metrics(a, `from=${T0}&to=${T0 + 72 * H}&metrics=count&user_id=nobody&model=gpt-4o`);
    expect(none.body.series).toEqual([expect.objectContaining({ group: {}, total: { count: 0 } })]);
  });

  it("filters by end user with other fields from the users' traces when they hold all of the users' events", async () => {
    // One user per trace: the users' traces hold every event of theirs, so the read needs no scan of the project's
    // events (events have no index by time); project a's traces mix users, so its reads take the project's events.
    const c = await createProject("metrics-users", 0);
    const own = events("c", 120, 11).map((e, i) => ({
      ...e,
      context: { ...e.context, user_id: `u${Math.floor(i / 4) % 3}` },
    }));
    await deliver(c.projectId, own);
    const window = [T0, T0 + 50 * H] as const;
    expect(await inUsersTraces(await dataOf(c.projectId), c.projectId, ["u1", "u2"], ...window)).toBe(true);
    expect(await inUsersTraces(await dataOf(a.projectId), a.projectId, ["u1", "u3"], ...window)).toBe(false);
    const { status, body } = await metrics(
      c,
      `from=${T0}&to=${T0 + 50 * H}&interval=day&metrics=${ALL}&user_id=u1&user_id=u2&environment=production&group_by=name`,
    );
    expect(status).toBe(200);
    expect(body.series.length).toBeGreaterThan(0);
    for (const s of body.series)
      expectExact(
        s.total,
        own.filter(
          (e) =>
            ["u1", "u2"].includes(e.context.user_id) &&
            e.context.environment === "production" &&
            e.name === s.group.name,
        ),
      );
  });

  it("answers the trace view from trace summaries", async () => {
    const { status, body } = await metrics(
      a,
      `from=${T0}&to=${T0 + 50 * H}&view=traces&metrics=count,error_count,cost`,
    );
    expect(status).toBe(200);
    const traces = new Map<string, Wire[]>();
    for (const e of sent) traces.set(e.trace_id as string, [...(traces.get(e.trace_id as string) ?? []), e]);
    const started = [...traces.values()].filter((es) => Math.min(...es.map((e) => e.timestamp)) < T0 + 50 * H);
    expect(body.series[0]!.total.count).toBe(started.length);
    expect(body.series[0]!.total.error_count).toBe(started.filter((es) => es.some((e) => e.status === "error")).length);
  });

  it("keeps each project's metrics to itself (both data databases)", async () => {
    const mine = await metrics(b, `from=${T0}&to=${T0 + 50 * H}&metrics=count`);
    expect(mine.body.series[0]!.total.count).toBe(40);
    expect(await dataOf(a.projectId)).not.toBe(await dataOf(b.projectId));
    const other = await read(`/api/v1/metrics?project_id=${a.projectId}`, b.secretKey);
    expect(other.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(other.body)).not.toContain("gpt-4o");
    const ingest = await read("/api/v1/metrics", a.ingestKey);
    expect(ingest.status).toBe(403);
  });

  it("refuses bad queries with the allowed values", async () => {
    const bad = async (query: string) => {
      const res = await metrics(a, query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe("invalid_request");
      return res.body.error.details as Record<string, unknown>;
    };
    expect((await bad("metrics=count,p42")).allowed).toContain("latency_p95");
    expect((await bad("group_by=color")).allowed).toContain("release");
    expect((await bad("colour=red")).allowed).toContain("environment");
    expect((await bad("interval=week")).allowed).toEqual(["minute", "hour", "day"]);
    await bad(`from=${T0 + H}&to=${T0}`);
    expect((await bad(`from=${T0}&to=${T0 + 3 * 24 * H}&interval=minute`)).max_points).toBe(1440);
    expect((await bad(`from=${T0}&to=${T0 + 50 * 24 * H}&interval=hour`)).max_points).toBe(1000);
    await bad("group_by=model,name,type");
    await bad("view=traces&group_by=model");
    await bad("limit=0");
  });

  it("reflects a deleted trace", async () => {
    const trace = sent.find((e) => e.timestamp < T0 + 50 * H)!.trace_id as string;
    const gone = sent.filter((e) => e.trace_id === trace);
    const res = await SELF.fetch(`https://watchllm.test/api/v1/traces/${trace}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${a.secretKey}` },
    });
    expect(res.status).toBe(200);
    const { body } = await metrics(a, `from=${T0}&to=${T0 + 50 * H}&interval=hour&metrics=${ALL}`);
    const left = sent.filter((e) => e.trace_id !== trace);
    expect(gone.length).toBeGreaterThan(0);
    expectExact(body.series[0]!.total, left);
    sent = left;
  });
});

describe("measureWindow", () => {
  it("measures a window from minute rollups, grouped or not", async () => {
    const d1 = await dataOf(a.projectId);
    const from = T0 + 10 * H;
    const to = from + 24 * H;
    const inWindow = sent.filter((e) => e.timestamp >= from && e.timestamp < to);
    const [all] = await measureWindow(d1, a.projectId, { metric: "count", filters: {}, from, to });
    expect(all).toEqual({ group: null, value: inWindow.length, count: inWindow.length });
    const byUser = await measureWindow(d1, a.projectId, { metric: "cost", filters: {}, from, to, group_by: "user_id" });
    expect(byUser).toHaveLength(5);
    for (const g of byUser) {
      const es = inWindow.filter((e) => e.context.user_id === g.group!.user_id);
      expect(g.count).toBe(es.length);
      expect(g.value).toBeCloseTo(
        es.reduce((n, e) => n + (e.cost_usd ?? 0), 0),
        9,
      );
    }
    const values = byUser.map((g) => g.value!);
    expect(values).toEqual([...values].sort((x, y) => y - x));
    const [p95] = await measureWindow(d1, a.projectId, {
      metric: "latency_p95",
      filters: { type: ["model_response"], model: ["gpt-4o"] },
      from,
      to,
    });
    const calls = inWindow.filter((e) => e.model === "gpt-4o");
    expect(p95!.count).toBe(calls.length);
    within1(
      p95!.value,
      exact(
        calls.map((e) => e.duration_ms),
        0.95,
      ),
    );
    // End users with other fields: the users' events.
    const perUser = await measureWindow(d1, a.projectId, {
      metric: "cost",
      filters: { model: ["gpt-4o"] },
      from,
      to,
      group_by: "user_id",
      limit: 2,
    });
    expect(perUser).toHaveLength(2);
    for (const g of perUser) {
      const es = calls.filter((e) => e.context.user_id === g.group!.user_id);
      expect(g.count).toBe(es.length);
      expect(g.value).toBeCloseTo(
        es.reduce((n, e) => n + (e.cost_usd ?? 0), 0),
        9,
      );
    }
    const [one] = await measureWindow(d1, a.projectId, {
      metric: "latency_p95",
      filters: { user_id: ["u2"], model: ["gpt-4o"] },
      from,
      to,
    });
    const hers = calls.filter((e) => e.context.user_id === "u2");
    expect(one!.count).toBe(hers.length);
    within1(
      one!.value,
      exact(
        hers.map((e) => e.duration_ms),
        0.95,
      ),
    );
    // Beyond 48 hours, hour rollups.
    const [long] = await measureWindow(d1, a.projectId, {
      metric: "error_rate",
      filters: {},
      from: T0 - 24 * H,
      to: T0 + 72 * H,
    });
    expect(long!.count).toBe(sent.length);
    expect(long!.value).toBeCloseTo(sent.filter((e) => e.status === "error").length / sent.length, 12);
    await expect(measureWindow(d1, a.projectId, { metric: "vibes", filters: {}, from, to })).rejects.toThrow(
      /unknown metric/,
    );
  });
});

describe("day rollups", () => {
  const days = `from=${T0 - DAY}&to=${T0 + 72 * H}&interval=day&metrics=${ALL}&group_by=model,environment`;
  const dayRows = async (projectId: string) =>
    (
      await (
        await dataOf(projectId)
      )
        .prepare("SELECT bucket, sum(count) AS n FROM metrics_daily WHERE project_id = ? GROUP BY bucket")
        .bind(projectId)
        .all<{ bucket: number; n: number }>()
    ).results;
  const dirty = async (projectId: string) =>
    (
      await (
        await dataOf(projectId)
      )
        .prepare("SELECT day FROM metrics_days_dirty WHERE project_id = ? ORDER BY day")
        .bind(projectId)
        .all<{ day: number }>()
    ).results.map((r) => r.day);
  const expectAllExact = async () => {
    const { status, body } = await metrics(a, days);
    expect(status).toBe(200);
    expect(body.series.length).toBeGreaterThan(0);
    for (const s of body.series) {
      const es = sent.filter(
        (e) => (e.model ?? null) === s.group.model && e.context.environment === s.group.environment,
      );
      expectExact(s.total, es);
      for (const p of s.points)
        expect(p.count).toBe(es.filter((e) => e.timestamp >= p.t && e.timestamp < p.t + DAY).length);
    }
  };

  it("builds complete days from hour rows, read in place of them, equal to the events after a deletion", async () => {
    const d1 = await dataOf(a.projectId);
    const firstDay = Math.floor(T0 / DAY) * DAY;
    expect(await dirty(a.projectId)).toContain(firstDay);
    expect(await rebuildDirtyDays(d1, Date.now())).toBeGreaterThan(0);
    // The first day is complete: built, no longer dirty; the day in progress stays dirty.
    expect(await dirty(a.projectId)).not.toContain(firstDay);
    const built = await dayRows(a.projectId);
    expect(built.find((r) => r.bucket === firstDay)?.n).toBe(
      sent.filter((e) => e.timestamp >= firstDay && e.timestamp < firstDay + DAY).length,
    );
    await expectAllExact();
    // The read takes a clean day from its day rows (a day row changed behind the rollups' back shows).
    await d1
      .prepare("UPDATE metrics_daily SET count = count + 1000 WHERE project_id = ? AND bucket = ? AND type = 'span'")
      .bind(a.projectId, firstDay)
      .run();
    const tampered = await metrics(a, `from=${firstDay}&to=${firstDay + DAY}&interval=day&metrics=count`);
    expect(tampered.body.series[0]!.total.count).toBeGreaterThanOrEqual(1000);
    // A deletion in that day marks it dirty (the trigger on hour rows): read from hours at once, then rebuilt.
    const trace = sent.find((e) => e.timestamp >= firstDay && e.timestamp < firstDay + DAY)!.trace_id as string;
    const res = await SELF.fetch(`https://watchllm.test/api/v1/traces/${trace}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${a.secretKey}` },
    });
    expect(res.status).toBe(200);
    sent = sent.filter((e) => e.trace_id !== trace);
    expect(await dirty(a.projectId)).toContain(firstDay);
    await expectAllExact();
    await rebuildDirtyDays(d1, Date.now());
    expect(await dirty(a.projectId)).not.toContain(firstDay);
    await expectAllExact();
    // A percentile window of alerts over whole days reads them too, within 1%.
    const [p95] = await measureWindow(d1, a.projectId, {
      metric: "latency_p95",
      filters: {},
      from: firstDay - DAY,
      to: firstDay + DAY,
    });
    within1(
      p95!.value,
      exact(
        sent.filter((e) => e.timestamp < firstDay + DAY).map((e) => e.duration_ms),
        0.95,
      ),
    );
  });
});

describe("rollup lifetimes", () => {
  // Last: retention runs over every project.
  it("drops minute rollups after 48 hours and hour rollups with the project's rollup retention", async () => {
    const week = `from=${T0}&to=${T0 + 50 * H}&metrics=count`;
    const before = await metrics(b, `${week}&interval=hour`);
    expect(before.body.series[0]!.total.count).toBe(40);
    await runRetention(env, Date.now() + 10_000, T0 + 50 * H + 49 * H);
    const minutes = await metrics(b, `from=${T0 + 20 * H}&to=${T0 + 36 * H}&interval=minute&metrics=count`);
    expect(minutes.body.series[0]!.total.count).toBe(0);
    expect((await metrics(b, `${week}&interval=hour`)).body).toEqual(before.body);
    const days = `from=${T0 - 24 * H}&to=${T0 + 72 * H}&interval=day&metrics=count`;
    await rebuildDirtyDays(await dataOf(b.projectId), Date.now());
    expect((await metrics(b, days)).body.series[0]!.total.count).toBe(40);
    await eraseRollupsStep(await dataOf(b.projectId), b.projectId, T0 + 50 * H, 1000);
    expect((await metrics(b, `${week}&interval=hour`)).body.series[0]!.total.count).toBe(0);
    // Day rows follow: read as their (gone) hours until rebuilt, then gone too.
    expect((await metrics(b, days)).body.series[0]!.total.count).toBe(0);
    await rebuildDirtyDays(await dataOf(b.projectId), Date.now());
    const left = await (await dataOf(b.projectId))
      .prepare("SELECT count(*) AS n FROM metrics_daily WHERE project_id = ? AND bucket < ?")
      .bind(b.projectId, Math.floor((Date.now() - DAY) / DAY) * DAY)
      .first<{ n: number }>();
    expect(left!.n).toBe(0);
  });
});
