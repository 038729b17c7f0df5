// `npm run bench:events-rekey [-- small events]`: the time of each step of migration 0029's `events_rekey` job
// (src/db/writes/events-rekey.ts) on plain SQLite (node:sqlite, WAL), this machine: a database migrated up to 0028
// and filled by writeMessages() with bench:ingest's small events and, in a second database, bench:storage's chat mix
// (a tenth as many, bodies kept in D1: the largest rows); then 0029 applied and its job run step by step, 5,000 events
// a step as the Cron does. D1's limit is 30 s per query or batch: each step must stay far below it at any size.
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { sqliteRunner } from "../scripts/finish-rekey.ts";
import { writeMessages } from "../src/db/writes/events.ts";
import { EVENTS_REKEY_JOB, EVENTS_REKEY_STEP, eventsRekeyStep } from "../src/db/writes/events-rekey.ts";
import { BENCH_PROJECT, queueBatches } from "./consumer.ts";
import { eventMix, type WireEvent } from "./generate.ts";
import { sqliteAsD1 } from "./sqlite-d1.ts";

const TOTAL = Number(process.argv[2] ?? 50_000);
const dir = join("bench", ".data", `events-rekey-${Date.now()}`);
mkdirSync(dir, { recursive: true });
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits });
const migrations = (keep: (n: number) => boolean) =>
  readdirSync("migrations")
    .filter((f) => f.endsWith(".sql") && keep(Number(f.slice(0, 4))))
    .sort()
    .map((f) => readFileSync(join("migrations", f), "utf8").replaceAll("--> statement-breakpoint", ""))
    .join("\n");

async function profile(name: string, events: WireEvent[], perRequest: number) {
  const db = new DatabaseSync(join(dir, `${name}.sqlite`));
  db.exec("PRAGMA journal_mode = WAL");
  db.exec(migrations((n) => n < 29));
  for (const batch of queueBatches(BENCH_PROJECT, events, perRequest, 100)) await writeMessages(sqliteAsD1(db), batch);
  let start = performance.now();
  db.exec(migrations((n) => n === 29));
  const migration = performance.now() - start;
  const run = sqliteRunner(db);
  const times = { copy: [] as number[], swap: 0, clean: [] as number[], drop: 0 };
  for (;;) {
    const job = db.prepare("SELECT params, progress FROM jobs WHERE id = ?").get(EVENTS_REKEY_JOB) as {
      params: string;
      progress: string;
    };
    const phase = JSON.parse(job.progress).phase as string;
    start = performance.now();
    const done = await eventsRekeyStep(run, { id: EVENTS_REKEY_JOB, ...job }, EVENTS_REKEY_STEP);
    const ms = performance.now() - start;
    const after = JSON.parse(
      (db.prepare("SELECT progress FROM jobs WHERE id = ?").get(EVENTS_REKEY_JOB) as { progress: string }).progress,
    ).phase;
    if (done) times.drop = ms;
    else if (phase === "copy" && after === "clean") times.swap = ms;
    else (phase === "copy" ? times.copy : times.clean).push(ms);
    if (done) break;
  }
  db.close();
  return { name, events: events.length, migration, ...times };
}

const stats = (ms: number[]) =>
  ms.length
    ? `${fmt(ms.reduce((a, b) => a + b, 0) / ms.length)} / ${fmt(Math.max(...ms))} ms (${ms.length} steps)`
    : "—";
const runs = [
  await profile("small", eventMix("small", TOTAL), 100),
  await profile("chat", eventMix("chat", Math.ceil(TOTAL / 10)), 50),
];
rmSync(dir, { recursive: true, force: true });

console.log(`
Migration 0029's events_rekey job on plain SQLite (node:sqlite, WAL, this machine), ${fmt(EVENTS_REKEY_STEP)} events a step:
average / slowest step. The last copy step also swaps the tables.
`);
console.log("| | small events | chat mix (bodies in D1) |\n|---|---|---|");
const row = (what: string, f: (r: (typeof runs)[number]) => string) =>
  console.log(`| ${what} | ${runs.map(f).join(" | ")} |`);
row("events", (r) => fmt(r.events));
row("the migration (tables, triggers, job row)", (r) => `${fmt(r.migration, 1)} ms`);
row("copy steps", (r) => stats(r.copy));
row("last copy step + swap", (r) => `${fmt(r.swap)} ms`);
row("old table emptied (steps)", (r) => stats(r.clean));
row("old table dropped (empty)", (r) => `${fmt(r.drop, 1)} ms`);
