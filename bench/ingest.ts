// npm run bench:ingest [events]: events/s of WatchLLM's queue consumer writing to local D1 inside workerd, beside
// plain SQLite (node:sqlite) storing the same rows in the same schema, in the same run. Also the whole pipeline
// (HTTP ingest → local Queue → consumer → D1 under `wrangler dev`) for reference.
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import type { QueueMessage } from "../contract/queue.ts";
import { freePort, startDevServer } from "../scripts/dev-server.ts";
import { applyMigrations, executeSql, keyInsertSql, localD1Files } from "../scripts/local-d1.ts";
import { keyRow } from "../src/auth/keys.ts";
import { writeMessages } from "../src/db/writes/events.ts";
import { packMessages } from "../src/ingest/enqueue.ts";
import { validateEvents } from "../src/ingest/validate.ts";
import { generateTrace, rng, type WireEvent } from "./generate.ts";
import { sqliteAsD1 } from "./sqlite-d1.ts";

const TOTAL = Number(process.argv[2] ?? 100_000);
const PER_REQUEST = 100; // events per SDK request = per queue message
const PER_QUEUE_BATCH = 100; // messages per consumer call (max_batch_size)
const dir = join("bench", ".data", `ingest-${Date.now()}`);
mkdirSync(dir, { recursive: true });
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
const fmt = (n: number) => n.toLocaleString("en-US");

const rand = rng(42);
const events: WireEvent[] = [];
for (let t = 0; events.length < TOTAL; t++) events.push(...generateTrace(rand, t, 1_764_000_000_000 + t * 1000));
events.length = TOTAL;
const requests: WireEvent[][] = [];
for (let i = 0; i < events.length; i += PER_REQUEST) requests.push(events.slice(i, i + PER_REQUEST));
const messages: QueueMessage[] = requests.flatMap((r) =>
  packMessages("prj_bench", validateEvents(r).events, 1).map((m) => m.body),
);
const queueBatches: QueueMessage[][] = [];
for (let i = 0; i < messages.length; i += PER_QUEUE_BATCH) queueBatches.push(messages.slice(i, i + PER_QUEUE_BATCH));
console.log(
  `${fmt(TOTAL)} events (avg ${Math.round(JSON.stringify(events).length / TOTAL)} B), ${messages.length} queue messages, ${queueBatches.length} consumer batches`,
);

const migrationSql = readdirSync("migrations")
  .filter((f) => f.endsWith(".sql"))
  .sort()
  .map((f) => readFileSync(join("migrations", f), "utf8").replaceAll("--> statement-breakpoint", ""))
  .join("\n");
function plainSqlite(name: string) {
  const db = new DatabaseSync(join(dir, name));
  db.exec("PRAGMA journal_mode = WAL");
  db.exec(migrationSql);
  return db;
}

// 1. WatchLLM's consumer inside workerd, local D1.
const consumerState = join(dir, "consumer");
applyMigrations({ persistTo: consumerState, config: "bench/wrangler.toml" });
const bench = await startDevServer({
  port: await freePort(),
  persistTo: consumerState,
  config: "bench/wrangler.toml",
  quiet: true,
});
let consumerMs = 0;
for (const batch of queueBatches) {
  const res = await fetch(`${bench.base}/consume`, { method: "POST", body: JSON.stringify({ batches: [batch] }) });
  const out = (await res.json()) as { ms?: number; error?: string };
  if (!res.ok || out.ms === undefined) throw new Error(`consumer bench failed: ${out.error}`);
  consumerMs += out.ms;
}
await bench.stop();

// 2. Plain SQLite: prepared INSERT per row, one transaction per consumer batch, no summaries.
const raw = plainSqlite("raw.sqlite");
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
    insert.run("prj_bench", ...(Object.values(e) as SQLInputValue[]), "b", 1);
  raw.exec("COMMIT");
}
const rawMs = performance.now() - start;
raw.close();

// 3. Plain SQLite running WatchLLM's own write path (same SQL: json_each insert + summary upsert).
const same = plainSqlite("same-sql.sqlite");
start = performance.now();
for (const batch of queueBatches) await writeMessages(sqliteAsD1(same), batch);
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
const reader = new DatabaseSync(localD1Files(pipelineState).DB!, { readOnly: true });
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
const countEvents = () => (reader.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n;
let stored = 0;
let lastProgress = performance.now();
for (let now = countEvents(); now < TOTAL && performance.now() - lastProgress < 30_000; now = countEvents()) {
  if (now > stored) [stored, lastProgress] = [now, performance.now()];
  await new Promise((r) => setTimeout(r, 20));
}
stored = countEvents();
const pipelineMs = (stored === TOTAL ? performance.now() : lastProgress) - start;
if (stored < TOTAL)
  console.warn(`pipeline: only ${stored} of ${TOTAL} events stored (was wrangler dev reloaded during the run?)`);
reader.close();
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

Consumer vs plain SQLite inserts: ${(ours / rate(TOTAL, rawMs)).toFixed(2)}× (goal ≥ 0.5×); vs the same SQL on plain SQLite: ${(ours / rate(TOTAL, sameMs)).toFixed(2)}×`);
