// `npm run bench:metrics` (BENCH_EVENTS=1000000 by default): GET /api/v1/metrics over 30 days of events written through
// the consumer's write SQL on one data database (bench/dataset.ts), at a tenth of the size and at the full size: API
// p50/p95 through the Worker under `wrangler dev`, the D1 rows each read costs (local D1's meta.rows_read), beside the
// same SQL on plain SQLite and the baseline without rollups: the exact nearest-rank percentiles over the raw events.
import { copyFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { getPlatformProxy } from "wrangler";
import { freePort, startDevServer } from "../scripts/dev-server.ts";
import { localD1Files } from "../scripts/local-d1.ts";
import {
  buildDaysInProgress,
  dayBuildArgs,
  METRICS_DAY_REBUILD_SQL,
  SETTLE_MS,
} from "../src/db/writes/metrics-days.ts";
import { MINUTE_ROLLUP_RETENTION_MS, ROLLUPS, rollupInsertSql } from "../src/db/writes/metrics-rollup.ts";
import { metricsParams } from "../src/metrics/params.ts";
import { projectMetrics, type ReadOptions } from "../src/metrics/series.ts";
import { type Meter, meteredD1 } from "./d1-meter.ts";
import { DATASET_START, PROJECT, prepareDataset } from "./dataset.ts";
import { sqliteAsD1 } from "./sqlite-d1.ts";
import { compare, RUNS, time } from "./timing.ts";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const DAY = 86_400_000;
const HOUR = 3_600_000;
const END = DATASET_START + 30 * DAY;
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits });

type Sql = { sql: string; params: unknown[] };

/** The SQL a metrics query runs, recorded by running the real read against a D1 that only records. */
async function metricsSql(query: Record<string, string>, opts: ReadOptions): Promise<Sql[]> {
  const recorded: Sql[] = [];
  const d1 = {
    prepare: (sql: string) => ({
      bind: (...params: unknown[]) => ({
        all: async () => {
          recorded.push({ sql, params });
          return { results: [] };
        },
        raw: async () => {
          recorded.push({ sql, params });
          return [[]];
        },
      }),
    }),
  } as unknown as D1Database;
  const queries = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]]));
  await projectMetrics(d1, PROJECT, metricsParams(queries, END), opts);
  return recorded;
}

/** The exact nearest-rank `q` quantile of durations per (bucket, model) over the raw events, with counts. */
const exactPercentileSql = (from: number, to: number, size: number, q: number, byModel: boolean): Sql => ({
  sql: `WITH r AS (
      SELECT (ts / ${size}) * ${size} AS t${byModel ? ", model" : ""}, duration_ms,
        row_number() OVER w AS rn, count(*) OVER (PARTITION BY (ts / ${size})${byModel ? ", model" : ""}) AS n
      FROM events WHERE project_id = ?1 AND ts >= ?2 AND ts < ?3 AND duration_ms IS NOT NULL
      WINDOW w AS (PARTITION BY (ts / ${size})${byModel ? ", model" : ""} ORDER BY duration_ms))
    SELECT t${byModel ? ", model" : ""}, n, duration_ms FROM r WHERE rn = max(1, CAST(ceil(${q} * n - 1e-9) AS INTEGER))`,
  params: [PROJECT, from, to],
});

/**
 * Fills the minute rollups of the dataset's last 48 hours (the consumer writes minute rows only for recent events) and
 * builds the day rollups: the complete days, and the day in progress as the scheduled handler leaves it at the
 * dataset's end (its ticks after every hour of that day, each building it through its complete hours when that pays).
 */
async function fillMinutes(file: string) {
  const db = new DatabaseSync(file);
  const { n } = db.prepare("SELECT count(*) AS n FROM metrics_minute WHERE project_id = ?").get(PROJECT) as {
    n: number;
  };
  if (!n)
    for (const r of ROLLUPS.filter((r) => r.table.endsWith("_minute")))
      db.prepare(rollupInsertSql({ ...r, where: "true" }, "events e WHERE e.project_id = ?1 AND e.ts >= ?2")).run(
        PROJECT,
        END - MINUTE_ROLLUP_RETENTION_MS,
      );
  // The day rollups of every complete day, as the scheduled handler builds them (the write marked them dirty).
  const dirty = db.prepare("SELECT project_id, day FROM metrics_days_dirty WHERE day <= ?").all(END - DAY) as Array<{
    project_id: string;
    day: number;
  }>;
  const start = performance.now();
  for (const { project_id, day } of dirty) {
    db.exec("BEGIN");
    for (const q of METRICS_DAY_REBUILD_SQL) db.prepare(q).run(...dayBuildArgs(q, project_id, day, day + DAY));
    db.exec("COMMIT");
  }
  if (dirty.length)
    console.error(`${dirty.length} day rollups built in ${(performance.now() - start).toFixed(0)} ms (plain SQLite)`);
  const d1 = sqliteAsD1(db);
  for (let t = Math.floor(END / DAY) * DAY + HOUR + SETTLE_MS; t <= END; t += HOUR) await buildDaysInProgress(d1, t);
  const built = db.prepare("SELECT through FROM metrics_days_partial WHERE project_id = ?").get(PROJECT) as
    | { through: number }
    | undefined;
  console.error(
    `day in progress: day rows through ${built ? `${(built.through % DAY) / HOUR}:00` : "none"}, hour rows to ${new Date(END).toISOString().slice(11, 16)}`,
  );
  db.exec("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE");
  db.close();
}

const MONTH = "30 days by model, daily points: p95, count, error rate, cost";
const MINUTES = "last 24 hours per minute (1,440 points): count, p95";
const HOURS = "30 days, hourly points (720): count, p50, p95, p99";

/** The reads measured at each size: each with its API request and the raw-events baseline of the same answer. */
async function cases() {
  const month = { from: String(DATASET_START), to: String(END) };
  const minutes = { from: String(END - DAY), to: String(END) };
  const byModel = { ...month, interval: "day", group_by: "model", metrics: "latency_p95,count,error_rate,cost" };
  const hourly = { ...month, interval: "hour", metrics: "count,latency_p50,latency_p95,latency_p99" };
  const perMinute = { ...minutes, interval: "minute", metrics: "count,latency_p95" };
  const read = async (name: string, query: Record<string, string>, opts: ReadOptions) => ({
    name,
    path: `/api/v1/metrics?${new URLSearchParams(query)}`,
    sql: await metricsSql(query, opts),
  });
  const at = async (name: string, query: Record<string, string>, raw: Sql | null, opts: ReadOptions = {}) => ({
    query,
    opts,
    read: await read(name, query, opts),
    raw,
  });
  // The older reads of the same series, measured in the same run: the full rollups (one row per group of every
  // dimension), the coarse ones (one row per type and status) the series of all events read before the whole-project
  // rollups, and the whole-project minute rows with their sketches (before their stored percentiles, migration 0030).
  const old = (name: string, query: Record<string, string>) => [
    at(`${name}: old read (full rollups)`, query, null, { rollups: "full" }),
    at(`${name}: old read (coarse rollups)`, query, null, { rollups: "coarse" }),
    // Minute rows only store percentiles: an hour series' read is the same either way.
    ...(query.interval === "minute"
      ? [at(`${name}: old read (whole-project sketches)`, query, null, { storedPercentiles: false })]
      : []),
  ];
  return [
    await at(MONTH, byModel, exactPercentileSql(DATASET_START, END, DAY, 0.95, true)),
    await at(HOURS, hourly, exactPercentileSql(DATASET_START, END, 3_600_000, 0.99, false)),
    ...(await Promise.all(old(HOURS, hourly))),
    await at(MINUTES, perMinute, exactPercentileSql(END - DAY, END, 60_000, 0.95, false)),
    ...(await Promise.all(old(MINUTES, perMinute))),
  ];
}

type Measured = {
  events: number;
  name: string;
  server: { p50: number; p95: number };
  api: { p50: number; p95: number } | null;
  sqlP50: number;
  rows: number;
  /** Characters of text the read's statements answered (sketches, mostly): bytes moved and parsed. */
  text: number;
  /** CPU time of the bench process (the read's own code: parsing, sketches) per read, without workerd's. */
  cpuMs: number;
};

const quantile = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;

/** p50 of a few runs (the raw-events baselines take seconds each at the full size). */
async function few(run: () => unknown, runs = 3) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await run();
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

async function measureSize(events: number): Promise<Measured[]> {
  const { state, secretKey, plain } = await prepareDataset(Math.round(events / 10));
  plain.close();
  const d1File = localD1Files(state).DB!;
  await fillMinutes(d1File);
  const plainFile = join(dirname(state), "metrics-plain.sqlite");
  copyFileSync(d1File, plainFile);
  const db = new DatabaseSync(plainFile, { readOnly: true });
  const { n } = db.prepare("SELECT count(*) AS n FROM events").get() as { n: number };
  const runSql = (sql: Sql[]) => {
    for (const q of sql) db.prepare(q.sql).all(...(q.params as SQLInputValue[]));
  };
  const list = await cases();
  const measured: Measured[] = [];
  // Server time: the read's own code (projectMetrics) on local D1 (the state wrangler dev serves), without HTTP.
  const rawReads: Array<{ entry: Measured; sql: Sql }> = [];
  const proxy = await getPlatformProxy<{ DB: D1Database }>({ persist: { path: join(state, "v3") } });
  try {
    // The reads take turns, round by round (3 warm-up rounds, then RUNS timed ones), so a new read and the older ones
    // it is compared with run under the same conditions (one after another, the first read measured paid for the
    // garbage of the dataset's build and of the raw baselines before it). Each round starts one read later, so no read
    // always follows the same one (a read after the hourly ones paid for their garbage in every round).
    const reads = list.map((c) => ({
      params: metricsParams(Object.fromEntries(Object.entries(c.query).map(([k, v]) => [k, [v]])), END),
      opts: c.opts,
      ms: [] as number[],
      cpuMs: [] as number[],
    }));
    for (let round = 0; round < RUNS + 3; round++)
      for (const r of [...reads.slice(round % reads.length), ...reads.slice(0, round % reads.length)]) {
        const [cpu, t] = [process.cpuUsage(), performance.now()];
        await projectMetrics(proxy.env.DB, PROJECT, r.params, r.opts);
        const [ms, used] = [performance.now() - t, process.cpuUsage(cpu)];
        if (round < 3) continue;
        r.ms.push(ms);
        r.cpuMs.push((used.user + used.system) / 1000);
      }
    for (const [i, c] of list.entries()) {
      const { params, opts, ms, cpuMs: cpus } = reads[i]!;
      const meter: Meter = {};
      await projectMetrics(
        meteredD1(proxy.env.DB, meter, () => true),
        PROJECT,
        params,
        opts,
      );
      const server = { p50: quantile(ms, 0.5), p95: quantile(ms, 0.95) };
      const cpuMs = quantile(cpus, 0.5);
      const sql = await time(() => runSql(c.read.sql));
      const rows = Object.values(meter).reduce((a, m) => a + m.rowsRead, 0);
      const text = Object.values(meter).reduce((a, m) => a + m.textChars, 0);
      measured.push({ events: n, name: c.read.name, server, api: null, sqlP50: sql.p50, rows, text, cpuMs });
      console.error(
        `${fmt(n)} events, ${c.read.name}: server p50 ${server.p50.toFixed(1)} ms (bench process CPU p50 ${cpuMs.toFixed(1)} ms a read), ${fmt(rows)} rows, ${fmt(text / 1000)} KB of text answered`,
      );
      if (!c.raw) continue;
      const entry: Measured = {
        events: n,
        name: `${c.read.name}: exact, raw events`,
        server: { p50: Number.NaN, p95: Number.NaN },
        api: null,
        sqlP50: Number.NaN,
        rows: Number.NaN,
        text: Number.NaN,
        cpuMs: Number.NaN,
      };
      measured.push(entry);
      rawReads.push({ entry, sql: c.raw });
    }
    // The raw queries' rows read on local D1, after every rollup read: at the full size workerd may give up on one
    // and close the proxy's connection (their rows read are then not reported).
    for (const { entry, sql } of rawReads) {
      const raw = await proxy.env.DB.prepare(sql.sql)
        .bind(...sql.params)
        .all()
        .catch((err: Error) => {
          console.error(`raw query on local D1 failed: ${err.message}`);
          return null;
        });
      entry.rows = raw?.meta.rows_read ?? Number.NaN;
    }
  } finally {
    await proxy.dispose();
  }
  // The raw queries on plain SQLite once the proxy is gone: each blocks this process for seconds at the full size, and
  // the proxy's connection does not outlive that.
  for (const { entry, sql } of rawReads) {
    entry.sqlP50 = await few(() => runSql([sql]));
    console.error(`${fmt(n)} events, ${entry.name} ${entry.sqlP50.toFixed(0)} ms`);
  }
  // Through the Worker over HTTP, where the API serves the read (minute points of a dataset this old it refuses).
  const served = list.filter((c) => c.query.interval !== "minute" && !c.read.name.includes("old read"));
  const server = await startDevServer({ port: await freePort(), persistTo: state, quiet: !process.env.VERBOSE }).catch(
    (err: Error) => {
      console.error(`API column skipped: ${err.message} (VERBOSE=1 shows wrangler's output)`);
      return null;
    },
  );
  if (!server) {
    db.close();
    return measured;
  }
  try {
    const rows = await compare(
      server.base,
      secretKey,
      db,
      served.map((c) => c.read),
    );
    rows.forEach((row, i) => {
      const cells = row.split("|").map((s) => s.trim());
      const m = measured.find((x) => x.name === served[i]!.read.name)!;
      m.api = { p50: Number(cells[2]), p95: Number(cells[3]) };
    });
  } finally {
    await server.stop();
  }
  db.close();
  return measured;
}

const small = await measureSize(EVENTS / 10);
const full = await measureSize(EVENTS);
const ms = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? "—" : x.toFixed(1));
/** The server p50 where the read has one, else the plain-SQLite p50 (the raw-events baselines). */
const p50 = (m: Measured) => (Number.isNaN(m.server.p50) ? m.sqlP50 : m.server.p50);
console.log(`
metrics reads: server = the read's code (projectMetrics) on local D1 (miniflare, the state wrangler dev serves), p50/p95
of ${RUNS} rounds after 3 warm-up rounds, the reads taking turns in each round; API = the same request over HTTP to the Worker under wrangler dev; D1 rows read =
meta.rows_read of its statements; text = KB of text its statements answered (the sketches moved and parsed); plain SQLite = the same SQL on a copy of the file (node:sqlite). "exact, raw
events": the baseline without rollups, nearest-rank percentiles per bucket (and model) over the events themselves
(plain SQLite, median of 3 runs; rows read as local D1 reports them for the same query).

"old read (full rollups)" / "(coarse rollups)" / "(whole-project sketches)": the same series read from the tables it
read before the coarse rollups (0026) / before the whole-project rollups (0028) / with each whole-project minute row's
sketches instead of its stored percentiles (before 0030), in the same rounds (A/B). CPU = the bench process's CPU per read (p50)
(the read's own code: parsing rows, adding sketches; workerd's SQL not included).

| read | events | server p50 ms | server p95 ms | CPU ms | API p50 / p95 ms | plain SQLite p50 ms | D1 rows read | text KB | p50 ms at ${fmt(small[0]!.events)} events | full / tenth |
|---|---|---|---|---|---|---|---|---|---|---|`);
full.forEach((f, i) => {
  const s = small[i]!;
  console.log(
    `| ${f.name} | ${fmt(f.events)} | ${ms(f.server.p50)} | ${ms(f.server.p95)} | ${ms(f.cpuMs)} | ${f.api ? `${ms(f.api.p50)} / ${ms(f.api.p95)}` : "—"} | ${ms(f.sqlP50)} | ${fmt(f.rows)} (${fmt(s.rows)} at a tenth) | ${Number.isNaN(f.text) ? "—" : `${fmt(f.text / 1000)} (${fmt(s.text / 1000)})`} | ${ms(p50(s))} | ${(p50(f) / p50(s)).toFixed(2)}× |`,
  );
});
const verdict = (ok: boolean) => (ok ? "met" : "**not met**");
const named = (name: string) => full.find((f) => f.name === name)!;
const [month, minutes] = [named(MONTH), named(MINUTES)];
// The new reads only (the old ones are there for comparison).
const flat = full.every(
  (f, i) => Number.isNaN(f.server.p50) || f.name.includes("old read") || p50(f) / p50(small[i]!) <= 1.3,
);
console.log(`
Goals: 30 days by model, server p50 < 50 ms: ${ms(month!.server.p50)} ms, ${verdict(month!.server.p50 < 50)}; minute series < 30 ms: ${ms(minutes!.server.p50)} ms, ${verdict(minutes!.server.p50 < 30)}; rollup reads flat from ${fmt(small[0]!.events)} to ${fmt(full[0]!.events)} events (≤ 1.3×): ${verdict(flat)}.`);
