// npm run bench:d1-rows [events]: the D1 rows (what D1 bills) that WatchLLM's write path and its retention cost per
// event, as D1 reports them (meta.rows_written / meta.rows_read of every statement, bench/d1-meter.ts), for the small
// events of bench:ingest and the chat mix of bench:storage (bodies over 2 KB offloaded to R2). The real queue consumer
// stores the events inside workerd on local D1; then the real retention (expireProject, 1,000 events a step) deletes
// them all, 31 days later at 30-day retention.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { localD1Files } from "../scripts/local-d1.ts";
import { queryRows } from "../test/support/sqlite.ts";
import { BENCH_PROJECT, benchState, CONFIG, queueBatches, startConsumer } from "./consumer.ts";
import type { Meter } from "./d1-meter.ts";
import { eventMix, type WireEvent } from "./generate.ts";

const TOTAL = Number(process.argv[2] ?? 10_000);
const DAYS = 30;
const dir = join("bench", ".data", `d1-rows-${Date.now()}`);
mkdirSync(dir, { recursive: true });
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits });

/** What a statement writes to (the table after INSERT INTO / DELETE FROM / UPDATE); reads only: "select". */
const TABLES: Record<string, string> = {
  events: "events (rows + indexes)",
  events_fts: "search index (events_fts)",
  traces: "trace summaries (traces)",
  cost_hourly: "cost rollups (cost_hourly)",
  event_parts: "event parts (event_parts)",
  metrics_minute: "metric rollups (metrics_minute)",
  metrics_hourly: "metric rollups (metrics_hourly)",
  metrics_coarse_minute: "coarse metric rollups (metrics_coarse_minute)",
  metrics_coarse_hourly: "coarse metric rollups (metrics_coarse_hourly)",
  metrics_total_minute: "whole-project metric rollups (metrics_total_minute)",
  metrics_total_hourly: "whole-project metric rollups (metrics_total_hourly)",
  user_metrics_minute: "per-user metric rollups (user_metrics_minute)",
  user_metrics_hourly: "per-user metric rollups (user_metrics_hourly)",
};
const stepOf = (sql: string) => {
  const table = /\b(?:INSERT(?: OR \w+)? INTO|DELETE FROM|UPDATE)\s+(\w+)/i.exec(sql)?.[1];
  return table ? (TABLES[table] ?? table) : "selects";
};
type Sum = { statements: number; rowsRead: number; rowsWritten: number; unmetered: number };
function byStep(meter: Meter) {
  const steps = new Map<string, Sum>();
  for (const [sql, m] of Object.entries(meter)) {
    const s = steps.get(stepOf(sql)) ?? { statements: 0, rowsRead: 0, rowsWritten: 0, unmetered: 0 };
    s.statements += m.statements;
    s.rowsRead += m.rowsRead;
    s.rowsWritten += m.rowsWritten;
    if (!m.metered) s.unmetered += m.statements;
    steps.set(stepOf(sql), s);
  }
  return steps;
}
const total = (steps: Map<string, Sum>) =>
  [...steps.values()].reduce((a, s) => ({
    statements: a.statements + s.statements,
    rowsRead: a.rowsRead + s.rowsRead,
    rowsWritten: a.rowsWritten + s.rowsWritten,
    unmetered: a.unmetered + s.unmetered,
  }));

async function measure(name: string, events: WireEvent[], perRequest: number) {
  const batches = queueBatches(BENCH_PROJECT, events, perRequest, 100);
  const state = benchState(dir, name);
  const consumer = await startConsumer(state);
  const consumeMs = await consumer.consume(batches);
  const now = Math.max(...events.map((e) => Number(e.timestamp))) + (DAYS + 1) * 86_400_000;
  const expired = await consumer.expire(BENCH_PROJECT, 0, DAYS, now);
  await consumer.stop();
  // workerd may still hold the file for a moment after stop(): the read waits out its lock.
  const [row] = await queryRows<{ n: number }>(localD1Files(state, CONFIG).DB!, "SELECT count(*) AS n FROM events");
  const n = row?.n ?? 0;
  if (expired.deleted !== events.length || n !== 0)
    throw new Error(`${name}: retention deleted ${expired.deleted} of ${events.length} events, ${n} left`);
  // Queues bill each 64 KB (1 KB = 1,000 B) of a message, about 100 B of metadata included, written, read and deleted.
  const messages = batches.flat();
  const sizes = messages.map((m) => Buffer.byteLength(JSON.stringify(m)));
  const queue = {
    messages: messages.length,
    bytes: sizes.reduce((a, b) => a + b, 0),
    chunks: sizes.reduce((n, size) => n + Math.ceil((size + 100) / 64_000), 0),
  };
  return { name, events: events.length, batches: batches.length, consumeMs, expired, ingest: consumer.meters, queue };
}

const small = eventMix("small", TOTAL);
const chat = eventMix("chat", TOTAL);
const runs = [await measure("small", small, 100), await measure("chat", chat, 50)];
rmSync(dir, { recursive: true, force: true });

for (const run of runs) {
  const per = (n: number) => fmt(n / run.events, 2);
  const ingest = byStep(run.ingest.data);
  const erase = byStep(run.expired.meters.data);
  const control = total(byStep(run.ingest.control));
  const names = [...new Set([...ingest.keys(), ...erase.keys()])];
  const zero = { statements: 0, rowsRead: 0, rowsWritten: 0, unmetered: 0 };
  const row = (what: string, i: Sum, e: Sum) =>
    `| ${what} | ${per(i.rowsWritten)} | ${per(i.rowsRead)} | ${per(e.rowsWritten)} | ${per(e.rowsRead)} |`;
  const unmetered = total(ingest).unmetered + total(erase).unmetered;
  console.log(`
${run.name === "small" ? "Small events (bench:ingest's)" : "Chat mix (bench:storage's, bodies over 2 KB in R2)"}: ${fmt(run.events)} events in ${run.batches} consumer batches, then retention (${DAYS} days).
D1 rows per event on the data database, as D1 reported them (local D1 under workerd):

| statement writes to | ingest: rows written | ingest: rows read | retention: rows written | retention: rows read |
|---|---|---|---|---|
${names.map((s) => row(s, ingest.get(s) ?? zero, erase.get(s) ?? zero)).join("\n")}
${row("**total**", total(ingest), total(erase))}

Rows written per event, ingest + retention: ${per(total(ingest).rowsWritten)} + ${per(total(erase).rowsWritten)} = **${per(total(ingest).rowsWritten + total(erase).rowsWritten)}** (issue 29's goal: ≤ 4).

Control plane on ingest (placement, prices; drizzle reads through raw(), which has no meta): ${fmt(control.statements)} statements, ${fmt(control.rowsWritten)} rows written, ${fmt(control.rowsRead)} read where reported${control.unmetered ? ` (${fmt(control.unmetered)} statements without meta)` : ""}.${unmetered ? ` Data statements without meta: ${unmetered}.` : ""}
Queue: ${fmt(run.queue.messages / run.events, 3)} messages, ${fmt(run.queue.bytes / run.events)} bytes and ${fmt(run.queue.chunks / run.events, 3)} billed 64 KB chunks per event (${run.name === "small" ? 100 : 50} events per request).
Wall time on local D1: ${fmt(run.consumeMs / run.batches, 1)} ms per consumer batch (${fmt(run.events / run.batches)} events); retention ${fmt(run.expired.ms / (run.events / 1000), 1)} ms per 1,000 events deleted.`);
}
