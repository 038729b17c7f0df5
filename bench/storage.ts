// npm run bench:storage [events] [chat|small]: what a realistic mix of events costs in storage, written by WatchLLM's
// real queue consumer inside workerd (as bench:ingest runs it) twice in one run: with body offloading off
// (BODY_OFFLOAD_BYTES above any body) and on (2,048 bytes). D1 bytes per table (dbstat, after VACUUM), per event and
// per 1,000 events, and the bytes stored in R2. `small`: bench:ingest's small events instead of the chat mix.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { BODY_LIMITS, SEARCH_LIMITS } from "../contract/limits.ts";
import { localD1Files } from "../scripts/local-d1.ts";
import { queryRows, useSqlite } from "../test/support/sqlite.ts";
import { BENCH_PROJECT, benchState, CONFIG, queueBatches, startConsumer } from "./consumer.ts";
import { eventMix } from "./generate.ts";

const TOTAL = Number(process.argv[2] ?? 2_000);
const SMALL = process.argv[3] === "small";
const PER_REQUEST = SMALL ? 100 : 50; // events per SDK request (messages split at the queue's size limit)
const PER_QUEUE_BATCH = 100; // messages per consumer call (max_batch_size)
const dir = join("bench", ".data", `storage-${Date.now()}`);
mkdirSync(dir, { recursive: true });
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const kb = (n: number) => `${(n / 1024).toLocaleString("en-US", { maximumFractionDigits: 1 })} KB`;
const mb = (n: number) => `${(n / 1024 / 1024).toLocaleString("en-US", { maximumFractionDigits: 2 })} MB`;

const events = eventMix(SMALL ? "small" : "chat", TOTAL);
const batches = queueBatches(BENCH_PROJECT, events, PER_REQUEST, PER_QUEUE_BATCH);
const bodyBytes = events.map((e) => Buffer.byteLength(JSON.stringify(e.body ?? null)));
const kinds = new Map<string, number>();
for (const e of events) kinds.set(String(e.type), (kinds.get(String(e.type)) ?? 0) + 1);
console.log(
  `${fmt(TOTAL)} events (${[...kinds].map(([k, n]) => `${fmt(n)} ${k}`).join(", ")}); bodies ${mb(bodyBytes.reduce((a, b) => a + b, 0))}, ` +
    `avg ${kb(bodyBytes.reduce((a, b) => a + b, 0) / TOTAL)}, ${fmt(bodyBytes.filter((b) => b > 2048).length)} over 2 KB; ` +
    `${batches.flat().length} queue messages, ${batches.length} consumer batches`,
);

/** The tables the write path fills, each with its indexes (and FTS5 its shadow tables); the rest is the control plane. */
const GROUPS: Array<[string, (table: string) => boolean]> = [
  ["events (rows + indexes)", (t) => t === "events"],
  ["search index (events_fts)", (t) => t.startsWith("events_fts")],
  ["trace summaries (traces)", (t) => t === "traces"],
  ["cost rollups (cost_hourly)", (t) => t === "cost_hourly"],
  ["event parts (event_parts)", (t) => t === "event_parts"],
];

/**
 * Bytes per group of the database after VACUUM (dbstat's page sizes), and the whole file's size. Run after the
 * server stopped; workerd may still hold the file for a moment, so a locked database is retried (test/support/sqlite.ts).
 */
const d1Bytes = (file: string) => useSqlite(file, measureBytes);

function measureBytes(db: DatabaseSync) {
  db.exec("PRAGMA journal_mode = DELETE");
  db.exec("VACUUM");
  const owner = new Map(
    (db.prepare("SELECT name, tbl_name FROM sqlite_master").all() as Array<{ name: string; tbl_name: string }>).map(
      (r) => [r.name, r.tbl_name],
    ),
  );
  const pages = db.prepare("SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name").all() as Array<{
    name: string;
    bytes: number;
  }>;
  const groups = GROUPS.map(() => 0);
  for (const { name, bytes } of pages) {
    const g = GROUPS.findIndex(([, has]) => has(owner.get(name) ?? name));
    if (g >= 0) groups[g]! += bytes;
  }
  const { size } = db
    .prepare("SELECT page_count * page_size AS size FROM pragma_page_count(), pragma_page_size()")
    .get() as { size: number };
  return { groups, data: groups.reduce((a, b) => a + b, 0), file: size };
}

const runs = [];
for (const [mode, threshold] of [
  ["off", "100000000"],
  ["on", "2048"],
] as const) {
  const state = benchState(dir, `offload-${mode}`);
  const consumer = await startConsumer(state, { BODY_OFFLOAD_BYTES: threshold });
  const ms = await consumer.consume(batches);
  const r2 = await consumer.bodies();
  await consumer.stop();
  const d1 = await d1Bytes(localD1Files(state, CONFIG).DB!);
  const [row] = await queryRows<{ n: number }>(localD1Files(state, CONFIG).DB!, "SELECT count(*) AS n FROM events");
  const n = row?.n ?? 0;
  if (n !== TOTAL) throw new Error(`offload ${mode}: the consumer stored ${n} of ${TOTAL} events`);
  runs.push({ mode, threshold, ms, r2, d1 });
}
const empty = (await d1Bytes(localD1Files(join(dir, "template"), CONFIG).DB!)).file;
rmSync(dir, { recursive: true, force: true });

const [off, on] = runs as [(typeof runs)[number], (typeof runs)[number]];
const ratio = (a: number, b: number) => (a === 0 ? "—" : `${(b / a).toFixed(2)}×`);
const row = (what: string, a: number, b: number, show = kb) => `| ${what} | ${show(a)} | ${show(b)} | ${ratio(a, b)} |`;
console.log(`
Storage of ${fmt(TOTAL)} events written by the consumer (local D1 after VACUUM, page bytes per table from dbstat; R2 =
sum of object sizes in the BODIES bucket). Offload off: BODY_OFFLOAD_BYTES=${off.threshold}; on: ${on.threshold}.

| | offload off | offload on | on / off |
|---|---|---|---|
${GROUPS.map(([name], g) => row(`D1 ${name}`, off.d1.groups[g]!, on.d1.groups[g]!)).join("\n")}
${row("**D1, the data tables**", off.d1.data, on.d1.data, mb)}
${row("D1 per event", off.d1.data / TOTAL, on.d1.data / TOTAL)}
${row("D1 per 1,000 events", (off.d1.data / TOTAL) * 1000, (on.d1.data / TOTAL) * 1000, mb)}
${row(`D1 file after VACUUM (control plane included; empty: ${kb(empty)})`, off.d1.file, on.d1.file, mb)}
${row("R2 objects", off.r2.objects, on.r2.objects, fmt)}
${row("**R2 bytes**", off.r2.bytes, on.r2.bytes, mb)}
${row("R2 per event", off.r2.bytes / TOTAL, on.r2.bytes / TOTAL)}
${row("D1 data + R2 per 1,000 events", ((off.d1.data + off.r2.bytes) / TOTAL) * 1000, ((on.d1.data + on.r2.bytes) / TOTAL) * 1000, mb)}
${row("consumer events/s (inside the queue handler)", TOTAL / (off.ms / 1000), TOTAL / (on.ms / 1000), fmt)}

The search index reads the first ${fmt(SEARCH_LIMITS.textChars)} characters of input, output and message; an offloaded body's
preview keeps the first ${fmt(BODY_LIMITS.previewChars)} of each, so the index is the same either way. Events/s with offloading on includes
${fmt(on.r2.objects)} puts to local R2 (wrangler dev's, on this machine): a local figure, not R2's.`);
