// npm run bench:write-steps [events]: where the consumer's write path spends its time, step by step, on plain SQLite
// (node:sqlite): writeMessages() itself, with each statement of its transaction timed (event insert, trace summary
// upsert, search index, cost rollup, commit), for the small events of bench:ingest and the chat mix of bench:storage.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { BODY_LIMITS } from "../contract/limits.ts";
import { offloadBodies } from "../src/db/bodies.ts";
import { COST_ROLLUP_SQL } from "../src/db/writes/cost-rollup.ts";
import { writeMessages } from "../src/db/writes/events.ts";
import { METRICS_ROLLUP_SQL } from "../src/db/writes/metrics-rollup.ts";
import { SEARCH_INDEX_SQL } from "../src/db/writes/search-index.ts";
import { SUMMARY_UPSERT_SQL } from "../src/db/writes/summary.ts";
import { USAGE_TALLY_SQL } from "../src/db/writes/usage.ts";
import { BENCH_PROJECT, migratePlain, queueBatches } from "./consumer.ts";
import { eventMix, type WireEvent } from "./generate.ts";
import { sqliteAsD1 } from "./sqlite-d1.ts";

const TOTAL = Number(process.argv[2] ?? 50_000);
const dir = join("bench", ".data", `write-steps-${Date.now()}`);
mkdirSync(dir, { recursive: true });
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits });

const STEPS = [
  "insert events",
  "trace summaries",
  "search index (FTS5)",
  "cost rollups",
  "metric rollups",
  "usage tally",
  "commit",
] as const;
const stepOf = (sql: string): (typeof STEPS)[number] => {
  if (sql === SUMMARY_UPSERT_SQL) return "trace summaries";
  if (sql === SEARCH_INDEX_SQL) return "search index (FTS5)";
  if (sql === COST_ROLLUP_SQL) return "cost rollups";
  if (METRICS_ROLLUP_SQL.includes(sql)) return "metric rollups";
  if (sql === USAGE_TALLY_SQL) return "usage tally";
  if (sql === "COMMIT") return "commit";
  if (sql.startsWith("INSERT INTO events ")) return "insert events";
  throw new Error(`a statement this profile doesn't know: ${sql.slice(0, 80)}`);
};

/** Offloading's bucket, for the run where D1 keeps previews: the objects themselves don't matter here. */
const nowhere = { put: async () => null } as unknown as R2Bucket;

/**
 * Writes `events` through writeMessages in queue batches (messages of `perRequest` events, 100 per batch) and times
 * each step; with `offload`, bodies over the default threshold are first replaced by their previews, as the consumer does.
 */
async function profile(name: string, events: WireEvent[], perRequest: number, offload = false) {
  const db = new DatabaseSync(join(dir, `${name}.sqlite`));
  db.exec("PRAGMA journal_mode = WAL");
  await migratePlain(db);
  const ms = new Map<string, number>(STEPS.map((s) => [s, 0]));
  const d1 = sqliteAsD1(db, (sql, t) => {
    const step = stepOf(sql);
    ms.set(step, ms.get(step)! + t);
  });
  const batches = queueBatches(BENCH_PROJECT, events, perRequest, 100);
  if (offload)
    for (const m of batches.flat()) await offloadBodies(nowhere, m.project_id, m.events, BODY_LIMITS.offloadBytes);
  const start = performance.now();
  for (const batch of batches) await writeMessages(d1, batch);
  const total = performance.now() - start;
  db.close();
  return { name, events: events.length, total, ms };
}

const small = eventMix("small", TOTAL);
const chat = eventMix("chat", Math.ceil(TOTAL / 10));

const runs = [
  await profile(`bench:ingest's events (~${fmt(JSON.stringify(small).length / small.length)} B)`, small, 100),
  await profile(`bench:storage's chat mix (~${fmt(JSON.stringify(chat).length / chat.length / 1024, 1)} KB)`, chat, 50),
  await profile("the same chat mix, bodies over 2 KB offloaded (previews in D1)", chat, 50, true),
];
rmSync(dir, { recursive: true, force: true });

console.log(`
writeMessages() on plain SQLite (node:sqlite, WAL), each statement of its transaction timed; one transaction per queue
batch of 100 messages, as the consumer writes. Statements are prepared each time (counted in their step), as D1's are.
Batches are built before the clock starts; offloading (hashing, R2) is not timed, only what D1 then stores.
`);
for (const run of runs) {
  const counted = [...run.ms.values()].reduce((a, b) => a + b, 0);
  console.log(`${fmt(run.events)} events, ${run.name}: ${fmt(run.events / (run.total / 1000))} events/s`);
  console.log("\n| step | ms | share | µs per event |\n|---|---|---|---|");
  for (const [step, t] of run.ms)
    console.log(`| ${step} | ${fmt(t)} | ${fmt((t / run.total) * 100, 1)} % | ${fmt((t / run.events) * 1000, 1)} |`);
  const rest = run.total - counted;
  console.log(
    `| rest (rows to JSON text, BEGIN) | ${fmt(rest)} | ${fmt((rest / run.total) * 100, 1)} % | ${fmt((rest / run.events) * 1000, 1)} |\n`,
  );
}
