// npm run bench:ingest [events]: events/s of WatchLLM's queue consumer writing to local D1 inside workerd, beside
// plain SQLite (node:sqlite) storing the same rows in the same schema, in the same run; the consumer again with the
// events spread over 1, 2 and 4 data databases (one project on each, one consumer call per database at a time, as
// queue max_concurrency would run them); and the whole pipeline (HTTP ingest → local Queue → consumer → D1 under
// `wrangler dev`) for reference.
import { mkdirSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { freePort, startDevServer } from "../scripts/dev-server.ts";
import { applyMigrations, executeSql, keyInsertSql, localD1Files } from "../scripts/local-d1.ts";
import { keyRow } from "../src/auth/keys.ts";
import { writeMessages } from "../src/db/writes/events.ts";
import { validateEvents } from "../src/ingest/validate.ts";
import { queryRows } from "../test/support/sqlite.ts";
import { benchState, CONFIG, migratePlain, queueBatches, shardProject, startConsumer } from "./consumer.ts";
import { eventMix, type WireEvent } from "./generate.ts";
import { sqliteAsD1 } from "./sqlite-d1.ts";

const TOTAL = Number(process.argv[2] ?? 100_000);
const PER_REQUEST = 100; // events per SDK request = per queue message
const PER_QUEUE_BATCH = 100; // messages per consumer call (max_batch_size)
const dir = join("bench", ".data", `ingest-${Date.now()}`);
mkdirSync(dir, { recursive: true });
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
const fmt = (n: number) => n.toLocaleString("en-US");

const events = eventMix("small", TOTAL);
const requests: WireEvent[][] = [];
for (let i = 0; i < events.length; i += PER_REQUEST) requests.push(events.slice(i, i + PER_REQUEST));
const batches = queueBatches(shardProject(0), events, PER_REQUEST, PER_QUEUE_BATCH);
console.log(
  `${fmt(TOTAL)} events (avg ${Math.round(JSON.stringify(events).length / TOTAL)} B), ${batches.flat().length} queue messages, ${batches.length} consumer batches`,
);
/** Events in a local D1 file; workerd may still hold it (or be writing it): the read waits out its lock. */
const storedRows = async (file: string) =>
  (await queryRows<{ n: number }>(file, "SELECT count(*) AS n FROM events"))[0]!.n;

async function plainSqlite(name: string) {
  const db = new DatabaseSync(join(dir, name));
  db.exec("PRAGMA journal_mode = WAL");
  await migratePlain(db);
  return db;
}

// 1. WatchLLM's consumer inside workerd, local D1, over 1, 2 and 4 data databases: project i, on DATA_i, gets an equal
// slice of the events, and its batches go to the consumer one at a time, the N projects' concurrently (N queue
// consumer invocations in flight). One data database is DATA_0, the control-plane database (a one-database instance):
// that run's time inside the queue handler is the consumer's figure; the shard table compares wall clocks.
const shardRuns: Array<{ shards: number; ms: number }> = [];
let consumerMs = 0;
for (const shards of [1, 2, 4]) {
  const state = benchState(dir, `shards-${shards}`);
  const per = Math.ceil(TOTAL / shards);
  const streams = Array.from({ length: shards }, (_, i) =>
    queueBatches(shardProject(i), events.slice(i * per, (i + 1) * per), PER_REQUEST, PER_QUEUE_BATCH),
  );
  const consumer = await startConsumer(state);
  const t = performance.now();
  const handlerMs = await Promise.all(streams.map((stream) => consumer.consume(stream)));
  shardRuns.push({ shards, ms: performance.now() - t });
  if (shards === 1) consumerMs = handlerMs[0]!;
  await consumer.stop();
  // The consumer drops the events of a project it can't place: make sure every event was written where it belongs.
  const files = localD1Files(state, CONFIG);
  const rows = await Promise.all(Array.from({ length: shards }, (_, i) => storedRows(files[`DATA_${i}`]!)));
  if (rows.some((n, i) => n !== Math.min(per, TOTAL - i * per)))
    throw new Error(`${shards} shards: stored ${rows.join(" + ")} of ${TOTAL} events`);
}

// 2. Plain SQLite: prepared INSERT per row, one transaction per consumer batch, no summaries.
const raw = await plainSqlite("raw.sqlite");
const { events: rows } = validateEvents(events);
const columns = ["project_id", ...Object.keys(rows[0]!), "batch_id", "received_at"];
const insert = raw.prepare(
  `INSERT INTO events (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")}) ON CONFLICT DO NOTHING`,
);
const rowsPerTx = PER_REQUEST * PER_QUEUE_BATCH;
let start = performance.now();
for (let i = 0; i < rows.length; i += rowsPerTx) {
  raw.exec("BEGIN");
  for (const e of rows.slice(i, i + rowsPerTx))
    insert.run(shardProject(0), ...(Object.values(e) as SQLInputValue[]), "b", 1);
  raw.exec("COMMIT");
}
const rawMs = performance.now() - start;
raw.close();

// 3. Plain SQLite running WatchLLM's own write path (same SQL: json_each insert + summary upsert).
const same = await plainSqlite("same-sql.sqlite");
start = performance.now();
for (const batch of batches) await writeMessages(sqliteAsD1(same), batch);
const sameMs = performance.now() - start;
same.close();

// 4. The whole pipeline under wrangler dev: HTTP → Queue → consumer → D1, until the last row is visible.
const pipelineState = join(dir, "pipeline");
applyMigrations({ persistTo: pipelineState });
const key = `wl_ingest_bench${Date.now()}`;
const k = await keyRow("prj_bench", "ingest", key, "bench", "key_bench");
executeSql(
  [
    "INSERT INTO orgs (id, name) VALUES ('org_bench', 'bench')",
    "INSERT INTO projects (id, org_id, name) VALUES ('prj_bench', 'org_bench', 'bench')",
    keyInsertSql(k),
  ],
  { persistTo: pipelineState },
);
const server = await startDevServer({
  port: await freePort(),
  persistTo: pipelineState,
  quiet: !process.env.BENCH_VERBOSE,
});
let next = 0;
start = performance.now();
await Promise.all(
  Array.from({ length: 4 }, async () => {
    for (let r = next++; r < requests.length; r = next++) {
      const res = await fetch(`${server.base}/api/v1/events`, {
        method: "POST",
        headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
        body: JSON.stringify({ events: requests[r] }),
      });
      if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
    }
  }),
);
// Local queues live in memory: a wrangler reload (any source edit) drops what is queued. Don't wait forever for it.
const countEvents = () => storedRows(localD1Files(pipelineState).DB!);
let stored = 0;
let lastProgress = performance.now();
for (
  let now = await countEvents();
  now < TOTAL && performance.now() - lastProgress < 30_000;
  now = await countEvents()
) {
  if (now > stored) [stored, lastProgress] = [now, performance.now()];
  await new Promise((r) => setTimeout(r, 20));
}
stored = await countEvents();
const pipelineMs = (stored === TOTAL ? performance.now() : lastProgress) - start;
if (stored < TOTAL)
  console.warn(`pipeline: only ${stored} of ${TOTAL} events stored (was wrangler dev reloaded during the run?)`);
await server.stop();
rmSync(dir, { recursive: true, force: true });

const ours = rate(TOTAL, consumerMs);
console.log(`
| write path | events/s |
|---|---|
| WatchLLM consumer → local D1, inside workerd (inserts, trace summaries, search index, cost rollups) | ${fmt(ours)} |
| plain SQLite, prepared INSERT per row, ${fmt(rowsPerTx)} rows per transaction (no summaries) | ${fmt(rate(TOTAL, rawMs))} |
| plain SQLite running WatchLLM's exact write SQL (the same four steps) | ${fmt(rate(TOTAL, sameMs))} |
| whole pipeline under wrangler dev: HTTP → Queue → consumer → D1 (4 concurrent clients) | ${fmt(rate(stored, pipelineMs))} |

Consumer vs plain SQLite inserts: ${(ours / rate(TOTAL, rawMs)).toFixed(2)}× (goal ≥ 0.5×); vs the same SQL on plain SQLite: ${(ours / rate(TOTAL, sameMs)).toFixed(2)}×

Consumer → local D1 over 1, 2 and 4 data databases: ${fmt(TOTAL)} events split evenly, one project per database, one
consumer call per database in flight; wall clock, including handing the batches to the Worker over HTTP. This machine
has ${availableParallelism()} cores, shared by wrangler dev (workerd: the consumer and every local database) and this script, so the local
speed-up is bounded by them, not by D1; on Cloudflare each database is its own Durable Object on its own machine and
queue max_concurrency runs consumer invocations apart.

| shards | events/s | speed-up vs 1 |
|---|---|---|
${shardRuns.map((r) => `| ${r.shards} | ${fmt(rate(TOTAL, r.ms))} | ${(shardRuns[0]!.ms / r.ms).toFixed(2)}× |`).join("\n")}`);
