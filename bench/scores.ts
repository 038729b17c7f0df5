// `npm run bench:scores [-- --small]`: (1) scores/s through POST /api/v1/scores beside events/s through /api/v1/events,
// HTTP → local Queue → consumer → D1 under one `wrangler dev` in the same run; (2) the score reads over the API
// benchmark's dataset (100,000 traces; --small: 10,000) with scores on 40% of its traces: the trace list filtered by
// a score (goal p50 < 50 ms), the score metrics (view=scores) that read the scores table with no rollup, the sessions
// list with its per-row means, and measureScoreWindow (an alert's `score_avg`) on plain SQLite.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { QueueMessage } from "../contract/queue.ts";
import { traceListParams } from "../contract/trace-query.ts";
import { freePort, startDevServer } from "../scripts/dev-server.ts";
import { applyMigrations, executeSql, keyInsertSql, localD1Files } from "../scripts/local-d1.ts";
import { keyRow } from "../src/auth/keys.ts";
import { dataDb } from "../src/db/client.ts";
import { traceListQuery } from "../src/db/queries/trace-list.ts";
import { writeScores } from "../src/db/writes/scores.ts";
import { measureScoreWindow, projectScoreMetrics, scoreMetricsParams } from "../src/metrics/scores.ts";
import { validateScores } from "../src/scores/validate.ts";
import { DATASET_START, PROJECT, prepareDataset } from "./dataset.ts";
import { eventMix, rng } from "./generate.ts";
import { sqliteAsD1 } from "./sqlite-d1.ts";
import { compare, printTable, time } from "./timing.ts";

const small = process.argv.includes("--small");
const WRITES = small ? 5_000 : 50_000;
const TRACES = small ? 10_000 : 100_000;
const PER_REQUEST = 100;
const fmt = (n: number) => n.toLocaleString("en-US");
const DAY = 86_400_000;

// 1. Ingest: the same server, scores first, then as many events (small events, 100 a request, 4 requests in flight).
const dir = join("bench", ".data", `scores-${Date.now()}`);
mkdirSync(dir, { recursive: true });
applyMigrations({ persistTo: dir });
const key = `wl_secret_bench${Date.now()}`;
const k = await keyRow("prj_scores", "secret", key, "bench", "key_bench");
executeSql(
  [
    "INSERT INTO orgs (id, name) VALUES ('org_bench', 'bench')",
    "INSERT INTO projects (id, org_id, name) VALUES ('prj_scores', 'org_bench', 'bench')",
    keyInsertSql(k),
  ],
  { persistTo: dir },
);
const reader = new DatabaseSync(localD1Files(dir).DB!, { readOnly: true });
const server = await startDevServer({ port: await freePort(), persistTo: dir, quiet: !process.env.BENCH_VERBOSE });

async function pipeline(path: string, field: "scores" | "events", items: unknown[], table: string) {
  const count = () => (reader.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const before = count();
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let r = next++; r * PER_REQUEST < items.length; r = next++) {
        const res = await fetch(`${server.base}${path}`, {
          method: "POST",
          headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
          body: JSON.stringify({ [field]: items.slice(r * PER_REQUEST, (r + 1) * PER_REQUEST) }),
        });
        if (res.status !== 202) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
      }
    }),
  );
  let stored = count() - before;
  let progress = performance.now();
  while (stored < items.length && performance.now() - progress < 30_000) {
    await new Promise((r) => setTimeout(r, 20));
    const now = count() - before;
    if (now > stored) [stored, progress] = [now, performance.now()];
  }
  if (stored < items.length) console.warn(`${path}: only ${stored} of ${items.length} stored`);
  return Math.round(stored / ((performance.now() - start) / 1000));
}

const rand = rng(3);
// Each with its own id: without one, a score's id derives from its trace, name and source, and the same pair again
// replaces it (idempotency), which would count fewer stored scores than sent.
const wireScores = Array.from({ length: WRITES }, (_, i) => ({
  score_id: `bench-${i}`,
  trace_id: `t-${i % (WRITES / 4)}`,
  name: ["quality", "thumbs", "intent"][i % 3]!,
  value: i % 3 === 0 ? Math.round(rand() * 100) / 100 : i % 3 === 1 ? rand() < 0.8 : "how-to",
  comment: i % 10 === 0 ? "checked by the nightly eval" : undefined,
  context: { user_id: `user-${i % 500}` },
}));
let scoresPerSecond: number;
let eventsPerSecond: number;
try {
  // A warm-up request each, so neither figure pays for the first compile.
  const warmUp = wireScores
    .slice(0, PER_REQUEST)
    .map((s) => ({ ...s, score_id: `warm-${s.score_id}`, trace_id: `warm-${s.trace_id}` }));
  await pipeline("/api/v1/scores", "scores", warmUp, "scores");
  scoresPerSecond = await pipeline("/api/v1/scores", "scores", wireScores, "scores");
  const events = eventMix("small", WRITES + PER_REQUEST);
  await pipeline("/api/v1/events", "events", events.slice(0, PER_REQUEST), "events");
  eventsPerSecond = await pipeline("/api/v1/events", "events", events.slice(PER_REQUEST), "events");
} finally {
  reader.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`
ingest, ${fmt(WRITES)} each, ${PER_REQUEST} a request, 4 in flight, HTTP → Queue → consumer → D1 (wrangler dev):

| way in | per second |
|---|---|
| POST /api/v1/scores (scores) | ${fmt(scoresPerSecond)} |
| POST /api/v1/events (small events) | ${fmt(eventsPerSecond)} |
| scores / events | ${(scoresPerSecond / eventsPerSecond).toFixed(2)}× |`);

// 2. Reads over the API benchmark's dataset, with scores on 40% of its traces (written through the consumer's SQL).
const { state, secretKey } = await prepareDataset(TRACES);
const file = new DatabaseSync(localD1Files(state).DB!);
const { n: already } = file.prepare("SELECT count(*) AS n FROM scores").get() as { n: number };
if (!already) {
  const r = rng(5);
  const wire = [];
  for (let t = 0; t < TRACES; t++) {
    const at = DATASET_START + Math.floor((t / TRACES) * 30 * DAY) + 60_000;
    const trace_id = `bench-${t.toString(36)}`;
    const context = { user_id: `user-${t % 500}` };
    if (r() < 0.4) wire.push({ trace_id, name: "quality", value: Math.round(r() * 100) / 100, timestamp: at, context });
    if (r() < 0.1) wire.push({ trace_id, name: "thumbs", value: r() < 0.8, timestamp: at, context });
    if (r() < 0.1) wire.push({ trace_id, name: "intent", value: ["how-to", "bug", "billing"][t % 3]!, timestamp: at });
  }
  const { scores } = await validateScores(wire, { kind: "secret", id: "bench" }, []);
  const d1 = sqliteAsD1(file);
  for (let i = 0; i < scores.length; i += 10_000) {
    const message: QueueMessage = {
      project_id: PROJECT,
      received_at: Date.now(),
      events: [],
      scores: scores.slice(i, i + 10_000),
    };
    await writeScores(d1, [message]);
  }
  file.exec("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE");
  console.log(`${fmt(scores.length)} scores written on ${fmt(TRACES)} traces`);
}
file.close();
const plain = new DatabaseSync(localD1Files(state).DB!, { readOnly: true });
const { n: scoreCount } = plain.prepare("SELECT count(*) AS n FROM scores").get() as { n: number };

const sqlOnly = dataDb({} as D1Database);
const listSql = (query: Record<string, string>) => [
  traceListQuery(sqlOnly, PROJECT, traceListParams.parse(query)).toSQL(),
];
const lastDay = { from: String(DATASET_START + 29 * DAY), to: String(DATASET_START + 30 * DAY) };
const listCases = (
  [
    { score: "quality", score_min: "0.9" },
    { score: "thumbs", score_value: "false" },
    { score: "intent", score_value: "bug", ...lastDay },
    { score: "quality", score_missing: "true" },
    { score: "quality", score_columns: "quality,thumbs,intent" },
  ] as Array<Record<string, string>>
).map((q) => ({
  name: `trace list, ${new URLSearchParams(q)}`,
  path: `/api/v1/traces?${new URLSearchParams(q)}`,
  sql: listSql(q),
}));
const metrics = (q: Record<string, string>) => ({
  name: `metrics view=scores, ${new URLSearchParams(q)}`,
  path: `/api/v1/metrics?view=scores&${new URLSearchParams(q)}`,
  sql: [],
});
const server2 = await startDevServer({ port: await freePort(), persistTo: state, quiet: !process.env.BENCH_VERBOSE });
try {
  const rows = await compare(server2.base, secretKey, plain, [
    { name: "HTTP floor: GET /api/health (no D1)", path: "/api/health", sql: [] },
    ...listCases,
    metrics({ ...lastDay, interval: "hour" }),
    metrics({ from: String(DATASET_START), to: String(DATASET_START + 30 * DAY), interval: "day" }),
    metrics({ from: String(DATASET_START), to: String(DATASET_START + 30 * DAY), interval: "day", name: "thumbs" }),
    { name: "sessions list (50) with per-row score means", path: "/api/v1/sessions", sql: [] },
  ]);
  printTable(rows, `score reads over ${fmt(TRACES)} traces and ${fmt(scoreCount)} scores`);
} finally {
  await server2.stop();
}
const d1 = sqliteAsD1(plain);
const windows = [
  [
    "score_avg:quality over 1 h",
    { name: "quality", from: DATASET_START + 29 * DAY, to: DATASET_START + 29 * DAY + 3_600_000 },
  ],
  [
    "score_avg:quality over 24 h, per user",
    {
      name: "quality",
      ...{ from: DATASET_START + 29 * DAY, to: DATASET_START + 30 * DAY },
      group_by: "user_id" as const,
    },
  ],
  ["score_avg:quality over 30 d", { name: "quality", from: DATASET_START, to: DATASET_START + 30 * DAY }],
] as const;
console.log("\n| read functions on plain SQLite | p50 ms | p95 ms |\n|---|---|---|");
const metricQueries = [
  ["view=scores, last day by hour", { from: [lastDay.from], to: [lastDay.to], interval: ["hour"] }],
  [
    "view=scores, 30 days by day",
    { from: [`${DATASET_START}`], to: [`${DATASET_START + 30 * DAY}`], interval: ["day"] },
  ],
] as const;
for (const [label, query] of metricQueries) {
  const p = scoreMetricsParams({ from: [...query.from], to: [...query.to], interval: [...query.interval] });
  const t = await time(() => projectScoreMetrics(d1, PROJECT, p));
  console.log(`| ${label} | ${t.p50.toFixed(1)} | ${t.p95.toFixed(1)} |`);
}
for (const [label, q] of windows) {
  const t = await time(() => measureScoreWindow(d1, PROJECT, q));
  console.log(`| ${label} | ${t.p50.toFixed(1)} | ${t.p95.toFixed(1)} |`);
}
plain.close();
