// The metric rollup tables against the events they sum, row for row: after ingest, a trace deletion, a cost recompute
// and a project move. Hour rows must equal their events in every hour, also hours rebuilt more than 48 hours later;
// minute rows must equal their events from the first kept minute (now − 48 h) on, and no older minute may be read
// (they are pruned, and not rebuilt: the API refuses minute points before that minute, alerts read hours there).
import { env, SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DIMENSIONS } from "../../contract/metrics.ts";
import { recomputeStep } from "../../src/costs/recompute.ts";
import { STORED_PERCENTILES } from "../../src/db/queries/metrics.ts";
import { jobs } from "../../src/db/schema.ts";
import { shardDatabase } from "../../src/db/shards.ts";
import { minuteRollupStart, ROLLUPS, rollupInsertSql } from "../../src/db/writes/metrics-rollup.ts";
import { bucketOf, quantile, sketchOf } from "../../src/lib/sketch.ts";
import { type MoveProgress, moveJob, moveJobStep } from "../../src/maintenance/move.ts";
import { signUp } from "./account-fixtures.ts";
import { db, deliver, read } from "./fixtures.ts";

const H = 3_600_000;
const NOW = Date.now();
/** Five days of hours, the newest ending an hour ago: most of them older than the 48 hours minute rows are kept. */
const START = Math.floor((NOW - 5 * 24 * H) / H) * H;

/** One trace per hour: a span, a priced model call (no client cost), a tool call; some errors and a few users. */
function traces(prefix: string) {
  return Array.from({ length: 5 * 24 - 1 }, (_, h) => {
    const at = START + h * H + ((h * 7919) % 3_000_000);
    const trace = `${prefix}-${h}`;
    const context = { user_id: `u${h % 3}`, environment: h % 4 ? "production" : "staging", release: "r1" };
    return [
      {
        event_id: `${trace}-0`,
        trace_id: trace,
        type: "span",
        name: "agent",
        timestamp: at,
        duration_ms: 900 + h,
        context,
      },
      {
        event_id: `${trace}-1`,
        trace_id: trace,
        parent_event_id: `${trace}-0`,
        type: "model_response",
        name: "chat",
        model: "gpt-4o",
        provider: "openai",
        timestamp: at + 10,
        duration_ms: 300 + ((h * 37) % 500),
        first_token_ms: 40 + (h % 90),
        status: h % 9 ? "ok" : "error",
        usage: { input_tokens: 1000 + h, output_tokens: 100 + h },
        context,
      },
      {
        event_id: `${trace}-2`,
        trace_id: trace,
        parent_event_id: `${trace}-0`,
        type: "tool_call",
        name: "search",
        timestamp: at + 400,
        duration_ms: 20 + (h % 13),
      },
    ];
  }).flat();
}

type Row = Record<string, string | number>;
const SUMS = [
  "count",
  "errors",
  "input_tokens",
  "output_tokens",
  "cached_input_tokens",
  "duration_count",
  "first_token_count",
];

/** Each rollup's rows as the events say they should be, and as stored, keyed by bucket and dimensions. */
async function rollupsAndEvents(d1: D1Database, projectId: string) {
  const { results: events } = await d1.prepare("SELECT * FROM events WHERE project_id = ?").bind(projectId).all<Row>();
  const firstMinute = minuteRollupStart(Date.now());
  const out: Record<string, { want: Map<string, Row>; got: Map<string, Row> }> = {};
  for (const r of ROLLUPS) {
    const want = new Map<string, { sums: Record<string, number>; d: number[]; f: number[] }>();
    const minute = r.table.endsWith("_minute");
    for (const e of events) {
      if (r.dims.includes("user_id") && e.user_id === null) continue;
      const bucket = Math.floor(Number(e.ts) / r.size) * r.size;
      if (minute && bucket < firstMinute) continue;
      const key = JSON.stringify([bucket, ...r.dims.map((d) => e[d] ?? "")]);
      const row = want.get(key) ?? { sums: {}, d: [], f: [] };
      const add = (k: string, n: number) => {
        row.sums[k] = (row.sums[k] ?? 0) + n;
      };
      add("count", 1);
      add("errors", e.status === "error" || e.type === "error" ? 1 : 0);
      for (const k of ["input_tokens", "output_tokens", "cached_input_tokens", "cost_usd"]) add(k, Number(e[k] ?? 0));
      if (e.duration_ms !== null) row.d.push(Number(e.duration_ms));
      if (e.first_token_ms !== null) row.f.push(Number(e.first_token_ms));
      row.sums.duration_count = row.d.length;
      row.sums.first_token_count = row.f.length;
      want.set(key, row);
    }
    const stored = await d1.prepare(`SELECT * FROM ${r.table} WHERE project_id = ?`).bind(projectId).all<Row>();
    const got = new Map<string, Row>();
    for (const s of stored.results) {
      if (minute && Number(s.bucket) < firstMinute) continue;
      got.set(JSON.stringify([s.bucket, ...r.dims.map((d) => s[d])]), s);
    }
    const expected = new Map<string, Row>();
    for (const [key, w] of want)
      expected.set(key, {
        ...w.sums,
        cost: w.sums.cost_usd!,
        d: JSON.stringify(sketchOf(w.d)),
        f: JSON.stringify(sketchOf(w.f)),
        ...storedPercentiles(w.d, w.f),
      });
    out[r.table] = { want: expected, got };
  }
  return out;
}

/**
 * The percentiles a whole-project minute row stores (migration 0030), as its events' sketch reads them: the sketch bucket of
 * each nearest-rank percentile, null when there is no value.
 */
function storedPercentiles(durations: number[], firstTokens: number[]): Row {
  const out: Row = {};
  for (const p of STORED_PERCENTILES) {
    const [, sketch, q] = /^(.*)_p(\d+)$/.exec(p)!;
    const value = quantile(sketchOf(sketch === "latency" ? durations : firstTokens), Number(q) / 100);
    out[p] = value === null ? "null" : bucketOf(value);
  }
  return out;
}

/** Every rollup row equals the sums and sketches of its events (minute rows: from the first kept minute). */
async function expectRollupsMatchEvents(d1: D1Database, projectId: string) {
  for (const [table, { want, got }] of Object.entries(await rollupsAndEvents(d1, projectId))) {
    expect([...got.keys()].sort(), table).toEqual([...want.keys()].sort());
    for (const [key, w] of want) {
      const g = got.get(key)!;
      for (const k of SUMS) expect(g[k], `${table} ${key} ${k}`).toBe(w[k]);
      expect(Number(g.cost), `${table} ${key} cost`).toBeCloseTo(Number(w.cost), 9);
      expect(JSON.parse(String(g.latency)), `${table} ${key} latency`).toEqual(JSON.parse(String(w.d)));
      expect(JSON.parse(String(g.first_token)), `${table} ${key} first token`).toEqual(JSON.parse(String(w.f)));
      if (table === "metrics_total_minute")
        for (const p of STORED_PERCENTILES) expect(g[p] ?? "null", `${table} ${key} ${p}`).toBe(w[p]);
    }
  }
}

describe("metric rollups stay equal to their events", () => {
  it("after ingest, deletions, a cost recompute of old hours, and a move", async () => {
    const owner = await signUp("Rollups");
    const p = owner.project.id;
    const shard = (await env.DB.prepare("SELECT shard FROM projects WHERE id = ?").bind(p).first<number>("shard"))!;
    const d1 = shardDatabase(env, shard);
    expect(DIMENSIONS.length).toBe(7);
    await deliver(p, traces("t"));
    await expectRollupsMatchEvents(d1, p);
    // Minute rows exist for the last 48 hours only.
    const minutes = await d1
      .prepare("SELECT min(bucket) AS first FROM metrics_minute WHERE project_id = ?")
      .bind(p)
      .first<number>("first");
    expect(minutes).toBeGreaterThanOrEqual(minuteRollupStart(NOW));

    // Deleting a trace of four days ago and one of an hour ago rebuilds their hours (and the recent one's minutes).
    for (const trace of ["t-10", `t-${5 * 24 - 2}`]) {
      const res = await SELF.fetch(`https://watchllm.test/api/v1/traces/${trace}`, {
        method: "DELETE",
        headers: { Authorization: `Bearer ${owner.keys.secret}` },
      });
      expect(res.status).toBe(200);
    }
    await expectRollupsMatchEvents(d1, p);

    // A recompute of costs adjusts every hour it reprices by difference, however old: the rollups follow the new
    // costs. The events are given a wrong cost first, and the rollups rebuilt from them (as if stored so), so only
    // the recompute's adjustment can make them equal to the events again.
    await d1
      .prepare("UPDATE events SET cost_usd = 12.5 WHERE project_id = ? AND type = 'model_response'")
      .bind(p)
      .run();
    for (const r of ROLLUPS) {
      await d1.prepare(`DELETE FROM ${r.table} WHERE project_id = ?`).bind(p).run();
      await d1.prepare(rollupInsertSql(r, "events e WHERE e.project_id = ?1")).bind(p).run();
    }
    await expectRollupsMatchEvents(d1, p);
    const wrong = Number(
      await d1.prepare("SELECT total(cost) AS c FROM metrics_hourly WHERE project_id = ?").bind(p).first("c"),
    );
    let after: [number, string] | undefined;
    for (;;) {
      const step = await recomputeStep(db, d1, p, { from: START, to: NOW + H }, after);
      if (!step.next) break;
      after = step.next as [number, string];
    }
    await expectRollupsMatchEvents(d1, p);
    expect(
      Number(await d1.prepare("SELECT total(cost) AS c FROM metrics_hourly WHERE project_id = ?").bind(p).first("c")),
    ).toBeLessThan(wrong);
    const costs = await read(
      `/api/v1/metrics?from=${START}&to=${NOW}&interval=day&metrics=cost,count`,
      owner.keys.secret,
    );
    expect(costs.body.series[0].total.cost).toBeLessThan(12.5);

    // A move writes the target's rollups through the consumer's write: equal to the events there too.
    const target = shardDatabase(env, 1 - shard);
    const job = moveJob("mov_rollups", {
      project_id: p,
      org_id: owner.org.id,
      from: shard,
      to: 1 - shard,
      actor: "cli",
    });
    await db.insert(jobs).values(job);
    for (let i = 0; i < 20; i++) {
      const state = (await db.select().from(jobs).where(eq(jobs.id, job.id)))[0]!;
      if ((JSON.parse(state.progress) as MoveProgress).phase !== "copy") break;
      await moveJobStep(env, state);
    }
    expect(await env.DB.prepare("SELECT shard FROM projects WHERE id = ?").bind(p).first<number>("shard")).toBe(
      1 - shard,
    );
    await expectRollupsMatchEvents(target, p);
    // Minute points before the first kept minute are refused rather than read as empty.
    const old = await read(`/api/v1/metrics?from=${START}&to=${START + H}&interval=minute`, owner.keys.secret);
    expect(old.status).toBe(400);
    expect(old.body.error.details.allowed_intervals).toEqual(["hour", "day"]);
    const byDefault = await read(`/api/v1/metrics?from=${START}&to=${START + 2 * H}`, owner.keys.secret);
    expect(byDefault.body.interval).toBe("hour");
  });

  // Any member of the project's org reads its metrics, viewers included: the Overview is every member's home page, and
  // viewers already read the events these sum. Someone outside the org reads nothing.
  it("serves a dashboard session of any member role (viewer and up), and no outsider", async () => {
    const owner = await signUp("Metrics owner");
    const viewer = await signUp("Metrics viewer");
    const res = await owner.browser.request(`/api/orgs/${owner.org.id}/invites`, {
      method: "POST",
      json: { role: "viewer" },
    });
    const { token } = ((await res.json()) as { invite: { token: string } }).invite;
    expect((await viewer.browser.request(`/api/invites/${token}/accept`, { method: "POST" })).status).toBe(200);
    const path = `/api/v1/metrics?project_id=${owner.project.id}&metrics=count`;
    expect((await owner.browser.request(path)).status).toBe(200);
    expect((await viewer.browser.request(path)).status).toBe(200);
    const outsider = await signUp("Metrics outsider");
    expect((await outsider.browser.request(path)).status).toBe(404);
  });
});
