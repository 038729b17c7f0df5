// `npm run bench:metrics` (BENCH_EVENTS=1000000 by default): GET /api/v1/metrics over 30 days of events written through
// the consumer's write SQL on one data database (bench/dataset.ts), at a tenth of the size and at the full size: API
// p50/p95 through the Worker under `wrangler dev`, the D1 rows each read costs (local D1's meta.rows_read), beside the
// same SQL on plain SQLite and the baseline without rollups: the exact nearest-rank percentiles over the raw events.
import { execFileSync } from "node:child_process";
import { copyFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { freePort, startDevServer } from "../scripts/dev-server.ts";
import { literal, localD1Files, WRANGLER_ENV } from "../scripts/local-d1.ts";
import { MINUTE_ROLLUP_RETENTION_MS, ROLLUPS, rollupInsertSql } from "../src/db/writes/metrics-rollup.ts";
import { metricsParams } from "../src/metrics/params.ts";
import { projectMetrics } from "../src/metrics/series.ts";
import { DATASET_START, PROJECT, prepareDataset } from "./dataset.ts";
import { type Case, compare, RUNS } from "./timing.ts";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const DAY = 86_400_000;
const END = DATASET_START + 30 * DAY;
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits });

type Sql = { sql: string; params: unknown[] };

/** The SQL a metrics query runs, recorded by running the real read against a D1 that only records. */
async function metricsSql(query: Record<string, string>): Promise<Sql[]> {
  const recorded: Sql[] = [];
  const d1 = {
    prepare: (sql: string) => ({
      bind: (...params: unknown[]) => ({
        all: async () => {
          recorded.push({ sql, params });
          return { results: [] };
        },
      }),
    }),
  } as unknown as D1Database;
  const queries = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]]));
  await projectMetrics(d1, PROJECT, metricsParams(queries, END));
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

/** Fills the minute rollups of the dataset's last 48 hours (the consumer writes minute rows only for recent events). */
function fillMinutes(file: string) {
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
  db.exec("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE");
  db.close();
}

/** D1's rows_read for the statements, run once each by `wrangler d1 execute --local` on the state (parameters inlined). */
function rowsRead(state: string, statements: Sql[]) {
  let rows = 0;
  for (const s of statements) {
    const sql = s.sql.replace(/\?(\d+)/g, (_, i: string) => literal(s.params[Number(i) - 1] as string | number));
    const out = execFileSync(
      "wrangler",
      ["d1", "execute", "DB", "--local", "--persist-to", state, "--json", "--command", sql],
      { env: { ...process.env, ...WRANGLER_ENV, CI: "true" }, maxBuffer: 256 * 1024 * 1024 },
    ).toString();
    const [answer] = JSON.parse(out) as Array<{ meta: { rows_read: number } }>;
    rows += answer?.meta.rows_read ?? Number.NaN;
  }
  return rows;
}

/** The reads measured at each size: each with its API request and the raw-events baseline of the same answer. */
async function cases() {
  const month = { from: String(DATASET_START), to: String(END) };
  const minutes = { from: String(END - 1_000 * 60_000), to: String(END) };
  const byModel = { ...month, interval: "day", group_by: "model", metrics: "latency_p95,count,error_rate,cost" };
  const hourly = { ...month, interval: "hour", metrics: "count,latency_p50,latency_p95,latency_p99" };
  const perMinute = { ...minutes, interval: "minute", metrics: "count,latency_p95" };
  const read = async (name: string, query: Record<string, string>) => ({
    name,
    path: `/api/v1/metrics?${new URLSearchParams(query)}`,
    sql: await metricsSql(query),
  });
  return [
    {
      read: await read("30 days by model, daily points: p95, count, error rate, cost", byModel),
      raw: exactPercentileSql(DATASET_START, END, DAY, 0.95, true),
    },
    {
      read: await read("30 days, hourly points (720): count, p50, p95, p99", hourly),
      raw: exactPercentileSql(DATASET_START, END, 3_600_000, 0.99, false),
    },
    {
      read: await read("last 1,000 minutes (16.7 h, the API's most points), per minute: count, p95", perMinute),
      raw: exactPercentileSql(END - 1_000 * 60_000, END, 60_000, 0.95, false),
    },
  ];
}

type Measured = { events: number; name: string; apiP50: number; apiP95: number; sqlP50: number; rows: number };

async function measureSize(events: number) {
  const { state, secretKey, plain } = await prepareDataset(Math.round(events / 10));
  plain.close();
  const d1File = localD1Files(state).DB!;
  fillMinutes(d1File);
  const plainFile = join(dirname(state), "metrics-plain.sqlite");
  copyFileSync(d1File, plainFile);
  const db = new DatabaseSync(plainFile, { readOnly: true });
  const { n } = db.prepare("SELECT count(*) AS n FROM events").get() as { n: number };
  const list = await cases();
  const timed: Case[] = list.flatMap((c) => [
    c.read,
    { name: `${c.read.name}: exact, raw events`, path: "", sql: [c.raw] },
  ]);
  const server = await startDevServer({ port: await freePort(), persistTo: state, quiet: !process.env.VERBOSE });
  let rows: string[];
  try {
    rows = await compare(server.base, secretKey, db, timed);
  } finally {
    await server.stop();
  }
  db.close();
  // compare() prints markdown rows; the figures are taken back from them to set the two sizes side by side.
  const measured: Measured[] = rows.map((row, i) => {
    const cells = row.split("|").map((s) => s.trim());
    return {
      events: n,
      name: timed[i]!.name,
      apiP50: Number(cells[2]),
      apiP95: Number(cells[3]),
      sqlP50: Number(cells[4]),
      rows: rowsRead(state, timed[i]!.sql),
    };
  });
  return measured;
}

const small = await measureSize(EVENTS / 10);
const full = await measureSize(EVENTS);
const ms = (x: number) => (Number.isNaN(x) ? "—" : x.toFixed(1));
/** The API's p50 where the read has one, else the plain-SQLite p50 (the raw-events baselines). */
const p50 = (m: Measured) => (Number.isNaN(m.apiP50) ? m.sqlP50 : m.apiP50);
console.log(`
metrics API: ${RUNS} runs each after 3 warm-ups; API = HTTP request to the Worker under wrangler dev (secret key, local
D1); D1 rows read = meta.rows_read of the same statements (wrangler d1 execute --local); plain SQLite = the same SQL on
a copy of the file (node:sqlite). "exact, raw events": the baseline without rollups, nearest-rank percentiles per bucket
(and model) over the events themselves (plain SQLite; its p50 is in the "at a tenth" and ratio columns).

| read | events | API p50 ms | API p95 ms | plain SQLite p50 ms | D1 rows read | p50 ms at ${fmt(small[0]!.events)} events | ×, full / tenth |
|---|---|---|---|---|---|---|---|`);
full.forEach((f, i) => {
  const s = small[i]!;
  console.log(
    `| ${f.name} | ${fmt(f.events)} | ${ms(f.apiP50)} | ${ms(f.apiP95)} | ${ms(f.sqlP50)} | ${fmt(f.rows)} | ${ms(p50(s))} | ${(p50(f) / p50(s)).toFixed(2)}× |`,
  );
});
const verdict = (ok: boolean) => (ok ? "met" : "**not met**");
const [month, , , , minutes] = full;
const flat = full.every((f, i) => Number.isNaN(f.apiP50) || p50(f) / p50(small[i]!) <= 1.3);
console.log(`
Goals: 30 days by model p50 < 50 ms: ${ms(month!.apiP50)} ms, ${verdict(month!.apiP50 < 50)}; minute series p50 < 30 ms: ${ms(minutes!.apiP50)} ms, ${verdict(minutes!.apiP50 < 30)}; API reads flat from ${fmt(small[0]!.events)} to ${fmt(full[0]!.events)} events (≤ 1.3×): ${verdict(flat)}.`);
