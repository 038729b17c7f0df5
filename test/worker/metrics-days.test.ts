// Day rollups of the day in progress (migration 0031): built part-way through its complete hours, read as its day rows
// plus the hour rows after them, equal to the raw events (counts, tokens, cost exact; percentiles within 1%) after
// more events in later and earlier hours of that day, a redelivery, deletions, and the day's end; and not built while
// the events since the last build don't pay for the rows it writes.
import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { rng } from "../../bench/generate.ts";
import type { MetricsAnswer } from "../../contract/metrics.ts";
import { buildDaysInProgress, rebuildDirtyDays, SETTLE_MS } from "../../src/db/writes/metrics-days.ts";
import { measureWindow } from "../../src/metrics/measure.ts";
import { createProject, dataOf, deliver, read } from "./fixtures.ts";
import { exact, within1 } from "./percentiles.ts";

const H = 3_600_000;
const DAY = 24 * H;
/** The day "in progress": three days ago (hour rollups only); the builds below are told the time of their tick. */
const D = Math.floor((Date.now() - 3 * DAY) / DAY) * DAY;
/** The tick of the scheduled handler that takes the hours before `hour` of day D as complete. */
const tickAt = (hour: number) => D + hour * H + SETTLE_MS;

type Wire = {
  event_id: string;
  trace_id: string;
  type: string;
  name: string;
  timestamp: number;
  duration_ms: number;
  status: string;
  model?: string;
  provider?: string;
  first_token_ms?: number;
  usage?: { input_tokens: number; output_tokens: number; cached_input_tokens: number };
  cost_usd?: number;
  context: { environment: string };
};

/** `n` events in hours [h0, h1) of day D: spans and calls of two models, errors, two environments. */
function events(prefix: string, n: number, h0: number, h1: number, seed: number): Wire[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const call = r() < 0.7;
    const e: Wire = {
      event_id: `${prefix}-${i}`,
      trace_id: `${prefix}-t${Math.floor(i / 3)}`,
      type: call ? "model_response" : "span",
      name: r() < 0.5 ? "agent" : "rag",
      timestamp: D + h0 * H + Math.floor(r() * (h1 - h0) * H),
      duration_ms: Math.round(Math.exp(4 + 2 * r() + r()) * 100) / 100,
      status: r() < 0.1 ? "error" : "ok",
      context: { environment: r() < 0.8 ? "production" : "staging" },
    };
    if (call) {
      e.model = r() < 0.6 ? "gpt-4o" : "claude-sonnet-4-5";
      e.provider = e.model.startsWith("gpt") ? "openai" : "anthropic";
      e.usage = {
        input_tokens: Math.floor(r() * 2000),
        output_tokens: Math.floor(r() * 500),
        cached_input_tokens: Math.floor(r() * 100),
      };
      e.cost_usd = Math.round(r() * 1e6) / 1e9;
      if (r() < 0.5) e.first_token_ms = Math.round(r() * 20000) / 10 + 1;
    }
    return e;
  });
}

const METRICS =
  "count,error_count,input_tokens,output_tokens,cached_input_tokens,cost,latency_p50,latency_p99,first_token_p95";

function expectExact(values: Record<string, number | null>, es: Wire[]) {
  expect(values.count).toBe(es.length);
  expect(values.error_count).toBe(es.filter((e) => e.status === "error").length);
  for (const k of ["input_tokens", "output_tokens", "cached_input_tokens"] as const)
    expect(values[k]).toBe(es.reduce((n, e) => n + (e.usage?.[k] ?? 0), 0));
  expect(values.cost).toBeCloseTo(
    es.reduce((n, e) => n + (e.cost_usd ?? 0), 0),
    9,
  );
  within1(
    values.latency_p50,
    exact(
      es.map((e) => e.duration_ms),
      0.5,
    ),
  );
  within1(
    values.latency_p99,
    exact(
      es.map((e) => e.duration_ms),
      0.99,
    ),
  );
  within1(
    values.first_token_p95,
    exact(
      es.flatMap((e) => (e.first_token_ms ? [e.first_token_ms] : [])),
      0.95,
    ),
  );
}

let project: Awaited<ReturnType<typeof createProject>>;
let sent: Wire[];

beforeAll(async () => {
  project = await createProject("metrics-days");
  // The day before D, complete (built whole), and D's first ten hours.
  sent = [...events("before", 150, -24, 0, 3), ...events("early", 400, 0, 10, 4)];
  await deliver(project.projectId, sent);
  await rebuildDirtyDays(await dataOf(project.projectId), D);
});

const state = async () => {
  const d1 = await dataOf(project.projectId);
  const partial = await d1
    .prepare("SELECT through, events FROM metrics_days_partial WHERE project_id = ? AND day = ?")
    .bind(project.projectId, D)
    .first<{ through: number; events: number }>();
  const dirty = await d1
    .prepare("SELECT count(*) AS n FROM metrics_days_dirty WHERE project_id = ? AND day = ?")
    .bind(project.projectId, D)
    .first<{ n: number }>();
  return { through: partial?.through ?? null, events: partial?.events ?? null, dirty: dirty!.n > 0 };
};

/** Every way a read meets day D, against the events: the day series by model, and windows ending in D. */
async function expectAllExact() {
  const { status, body } = await read<MetricsAnswer>(
    `/api/v1/metrics?from=${D - DAY}&to=${D + DAY}&interval=day&group_by=model&metrics=${METRICS}`,
    project.secretKey,
  );
  expect(status).toBe(200);
  for (const s of body.series) {
    const es = sent.filter((e) => (e.model ?? null) === s.group.model);
    expectExact(s.total, es);
    for (const p of s.points)
      expectExact(
        p,
        es.filter((e) => e.timestamp >= p.t && e.timestamp < p.t + DAY),
      );
  }
  expect(body.series.reduce((n, s) => n + s.total.count!, 0)).toBe(sent.length);
  // Windows of one bucket (what alerts read) over the whole day before and a ragged part of D: ending before the day
  // rows' end, at it, and after it.
  const d1 = await dataOf(project.projectId);
  for (const end of [6, 10, 13, 20]) {
    const to = D + end * H;
    const [p95] = await measureWindow(d1, project.projectId, { metric: "latency_p95", filters: {}, from: D - DAY, to });
    const es = sent.filter((e) => e.timestamp < to);
    expect(p95!.count, `window to hour ${end}`).toBe(es.length);
    within1(
      p95!.value,
      exact(
        es.map((e) => e.duration_ms),
        0.95,
      ),
    );
  }
}

describe("day rows of the day in progress", () => {
  it("are not built while the events since the last build don't pay for the rows a build writes", async () => {
    const d1 = await dataOf(project.projectId);
    // 400 events over ~16 groups: fewer than 50 events per row written.
    expect(await buildDaysInProgress(d1, tickAt(10))).toBe(0);
    // Between an hour's settling ticks, not looked at all.
    expect(await buildDaysInProgress(d1, tickAt(10) + 20 * 60_000, 50, Number.POSITIVE_INFINITY, 1)).toBe(0);
    expect(await state()).toEqual({ through: null, events: null, dirty: true });
    await expectAllExact();
  });

  it("are read with the hours after them, equal to the events through later and earlier events, deletions and the day's end", async () => {
    const d1 = await dataOf(project.projectId);
    const cheap = [d1, tickAt(10), 50, Number.POSITIVE_INFINITY, 1] as const;
    expect(await buildDaysInProgress(...cheap)).toBe(1);
    expect(await state()).toEqual({ through: D + 10 * H, events: 400, dirty: false });
    await expectAllExact();
    // The read takes the day from its day rows (a day row changed behind the rollups' back shows), not its hours.
    const tamper = (n: number) =>
      d1
        .prepare("UPDATE metrics_daily SET count = count + ? WHERE project_id = ? AND bucket = ? AND type = 'span'")
        .bind(n, project.projectId, D)
        .run();
    const changed = (await tamper(1000)).meta.changes;
    expect(changed).toBeGreaterThan(0);
    const day = `/api/v1/metrics?from=${D}&to=${D + DAY}&interval=day&metrics=count`;
    expect((await read<MetricsAnswer>(day, project.secretKey)).body.series[0]!.total.count).toBe(400 + 1000 * changed);
    await tamper(-1000);
    // Events in later hours leave the day rows standing (read with them), redelivered ones count once.
    const later = events("later", 300, 10, 24, 5);
    await deliver(project.projectId, later);
    await deliver(project.projectId, later.slice(0, 100));
    sent.push(...later);
    expect(await state()).toMatchObject({ through: D + 10 * H, dirty: false });
    await expectAllExact();
    // A deletion after the day rows' end: still standing, the hours show it.
    const lateTrace = later.find((e) => e.timestamp >= D + 12 * H)!.trace_id;
    await deleteTrace(lateTrace);
    expect(await state()).toMatchObject({ through: D + 10 * H, dirty: false });
    await expectAllExact();
    // Events in an earlier hour: the day is dirty, read from its hours, until built again.
    const early = events("late-early", 60, 2, 3, 6);
    await deliver(project.projectId, early);
    sent.push(...early);
    expect((await state()).dirty).toBe(true);
    await expectAllExact();
    expect(await buildDaysInProgress(d1, tickAt(14), 50, Number.POSITIVE_INFINITY, 1)).toBe(1);
    expect(await state()).toMatchObject({ through: D + 14 * H, dirty: false });
    await expectAllExact();
    // A deletion before the day rows' end marks the day dirty again.
    await deleteTrace(sent.find((e) => e.timestamp < D + 10 * H && e.timestamp >= D)!.trace_id);
    expect((await state()).dirty).toBe(true);
    await expectAllExact();
    // Once the day is over, the scheduled handler builds it whole.
    expect(await rebuildDirtyDays(d1, D + DAY + SETTLE_MS)).toBeGreaterThan(0);
    expect(await state()).toEqual({ through: null, events: null, dirty: false });
    await expectAllExact();
  });
});

async function deleteTrace(traceId: string) {
  const res = await SELF.fetch(`https://watchllm.test/api/v1/traces/${traceId}`, {
    method: "DELETE",
    headers: { Authorization: `Bearer ${project.secretKey}` },
  });
  expect(res.status).toBe(200);
  sent = sent.filter((e) => e.trace_id !== traceId);
}
