// `npm run bench:alerts [events] [rules]`: one evaluation minute of `rules` alert rules (100 per project, the limit)
// over the rollups of `events` events (default 1,000,000 and 1,000; `npm run bench:alerts 100000 100` for a quick run).
// The rollup tables are loaded directly with what the consumer would have written for generated events (the
// evaluation reads rollups only): the last 7 days, 10 projects on 4 data databases, 2,000 end users each. Then the real
// evaluation runs inside workerd on local D1 (bench/consumer-worker.ts) for two minutes in a row (the first creates
// the states of the groups that fire): the D1 rows read and written as D1 reported them, and the CPU time workerd
// spent (the Worker's and local D1's SQLite together). Then the same code runs in Node over the same databases
// (node:sqlite), where the main thread's time inside SQLite is measured apart: the rest of that thread's CPU time is the
// Worker's own (the process's total, with the GC threads', is printed too). `--node-only` skips the workerd half.
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { ALERT_METRICS } from "../contract/alerts.ts";
import { localD1Files } from "../scripts/local-d1.ts";
import { evaluateAlerts } from "../src/alerts/evaluate.ts";
import { windowRanges } from "../src/alerts/measure.ts";
import { dayBuildArgs, METRICS_DAY_REBUILD_SQL } from "../src/db/writes/metrics-days.ts";
import type { Bindings } from "../src/env.ts";
import { bucketOf } from "../src/lib/sketch.ts";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../src/lib/time.ts";
import { benchState, CONFIG, SHARDS, startConsumer } from "./consumer.ts";
import type { Meter } from "./d1-meter.ts";
import { rng } from "./generate.ts";
import { sqliteAsFullD1, threadCpuMs } from "./sqlite-d1.ts";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const EVENTS = Number(args[0] ?? 1_000_000);
const RULES = Number(args[1] ?? 1_000);
const PROJECTS = Math.max(1, Math.ceil(RULES / 100));
const USERS = 2_000;
const SPAN = 7 * DAY_MS;
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits });
const project = (i: number) => `prj_alerts${i}`;

const NAMES = ["chat", "summarize", "classify", "retrieve", "rerank", "plan", "answer", "extract"];
const MODELS: Array<[string, string]> = [
  ["gpt-4o", "openai"],
  ["gpt-4o-mini", "openai"],
  ["claude-sonnet-4", "anthropic"],
  ["gemini-2.5-flash", "google"],
  ["llama-3.3-70b", "groq"],
];

type Sums = {
  count: number;
  errors: number;
  input: number;
  output: number;
  cost: number;
  durationSum: number;
  latency: Record<string, number>;
  firstTokenCount: number;
  firstToken: Record<string, number>;
};
type Event = {
  ts: number;
  dims: string[];
  user: string | null;
  error: boolean;
  input: number;
  output: number;
  cost: number;
  duration: number;
  firstToken: number | null;
};

function add(map: Map<string, Sums>, key: string, e: Event) {
  let s = map.get(key);
  if (!s) {
    s = {
      count: 0,
      errors: 0,
      input: 0,
      output: 0,
      cost: 0,
      durationSum: 0,
      latency: {},
      firstTokenCount: 0,
      firstToken: {},
    };
    map.set(key, s);
  }
  s.count++;
  s.errors += e.error ? 1 : 0;
  s.input += e.input;
  s.output += e.output;
  s.cost += e.cost;
  s.durationSum += e.duration;
  const b = String(bucketOf(e.duration));
  s.latency[b] = (s.latency[b] ?? 0) + 1;
  if (e.firstToken !== null) {
    s.firstTokenCount++;
    const f = String(bucketOf(e.firstToken));
    s.firstToken[f] = (s.firstToken[f] ?? 0) + 1;
  }
}

/** One project's events, generated and added up into the four rollups as the consumer would have (rows written). */
function loadProject(db: DatabaseSync, id: string, events: number, now: number, seed: number) {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const rollups = {
    metrics_minute: new Map<string, Sums>(),
    metrics_hourly: new Map<string, Sums>(),
    metrics_coarse_minute: new Map<string, Sums>(),
    metrics_coarse_hourly: new Map<string, Sums>(),
    metrics_total_minute: new Map<string, Sums>(),
    metrics_total_hourly: new Map<string, Sums>(),
    user_metrics_minute: new Map<string, Sums>(),
    user_metrics_hourly: new Map<string, Sums>(),
  };
  for (let i = 0; i < events; i++) {
    const ts = now - 1 - Math.floor(rand() * SPAN);
    const r = rand();
    const type = r < 0.7 ? "model_response" : r < 0.9 ? "span" : "tool_call";
    const [model, provider] = type === "model_response" ? pick(MODELS) : ["", ""];
    const error = rand() < 0.03;
    const e: Event = {
      ts,
      dims: [
        type,
        pick(NAMES),
        model,
        provider,
        error ? "error" : "ok",
        rand() < 0.8 ? "production" : "staging",
        pick(["v1", "v2", "v3"]),
      ],
      user: rand() < 0.8 ? `user-${Math.floor(rand() ** 2 * USERS)}` : null,
      error,
      input: type === "model_response" ? Math.floor(rand() * 2000) : 0,
      output: type === "model_response" ? Math.floor(rand() * 500) : 0,
      cost: type === "model_response" ? rand() * 0.01 : 0,
      duration: Math.round(50 + Math.exp(rand() * 8)),
      firstToken: type === "model_response" ? Math.round(20 + Math.exp(rand() * 6)) : null,
    };
    const minute = Math.floor(ts / MINUTE_MS) * MINUTE_MS;
    const hour = Math.floor(ts / HOUR_MS) * HOUR_MS;
    const recent = ts >= now - 48 * HOUR_MS;
    add(rollups.metrics_hourly, [hour, ...e.dims].join("\u0000"), e);
    if (recent) add(rollups.metrics_minute, [minute, ...e.dims].join("\u0000"), e);
    // The coarse rollups (type, status), read by rules that filter and group by those only.
    add(rollups.metrics_coarse_hourly, [hour, e.dims[0], e.dims[4]].join("\u0000"), e);
    if (recent) add(rollups.metrics_coarse_minute, [minute, e.dims[0], e.dims[4]].join("\u0000"), e);
    // The whole-project rollups, read by rules that neither filter nor group.
    add(rollups.metrics_total_hourly, String(hour), e);
    if (recent) add(rollups.metrics_total_minute, String(minute), e);
    if (e.user) {
      add(rollups.user_metrics_hourly, [hour, e.user].join("\u0000"), e);
      if (recent) add(rollups.user_metrics_minute, [minute, e.user].join("\u0000"), e);
    }
  }
  const sums =
    "count, errors, input_tokens, output_tokens, cached_input_tokens, cost, duration_sum, duration_count, latency, first_token_count, first_token";
  let rows = 0;
  db.exec("BEGIN");
  for (const [table, map] of Object.entries(rollups)) {
    const dims = table.startsWith("user")
      ? ["user_id"]
      : table.startsWith("metrics_coarse")
        ? ["type", "status"]
        : table.startsWith("metrics_total")
          ? []
          : ["type", "name", "model", "provider", "status", "environment", "release"];
    const insert: StatementSync = db.prepare(
      `INSERT INTO ${table} (project_id, bucket, ${[...dims, sums].join(", ")}) VALUES (${Array(2 + dims.length + 11)
        .fill("?")
        .join(", ")})`,
    );
    for (const [key, s] of map) {
      const [bucket, ...values] = key.split("\u0000");
      insert.run(
        id,
        Number(bucket),
        ...values,
        s.count,
        s.errors,
        s.input,
        s.output,
        0,
        s.cost,
        s.durationSum,
        s.count,
        JSON.stringify(s.latency),
        s.firstTokenCount,
        JSON.stringify(s.firstToken),
      );
      rows++;
    }
  }
  db.exec("COMMIT");
  // The day rollups of the complete days, as the scheduled handler builds them (the triggers marked them dirty).
  const dirty = db
    .prepare("SELECT day FROM metrics_days_dirty WHERE project_id = ? AND day <= ?")
    .all(id, now - DAY_MS) as Array<{ day: number }>;
  for (const { day } of dirty) {
    db.exec("BEGIN");
    for (const q of METRICS_DAY_REBUILD_SQL) db.prepare(q).run(...dayBuildArgs(q, id, day, day + DAY_MS));
    db.exec("COMMIT");
  }
  return rows;
}

const WINDOWS = [5, 15, 60, 360, 1440, 2880, 10080];
const GROUPS = [null, null, "model", "name", "user_id"] as const;
const FILTERS = [{}, { type: ["model_response"] }, { environment: ["production"] }];
/** Rule `i` of a project: every metric, window and grouping in turn, thresholds that let some groups fire. */
function ruleRow(projectId: string, i: number) {
  const metric = ALERT_METRICS[i % ALERT_METRICS.length]!;
  const group = GROUPS[Math.floor(i / ALERT_METRICS.length) % GROUPS.length]!;
  const window = WINDOWS[i % WINDOWS.length]!;
  const filters = group === "user_id" ? {} : FILTERS[i % FILTERS.length]!;
  const threshold =
    { cost: 5, count: 500, error_count: 20, error_rate: 0.05, input_tokens: 1e6, output_tokens: 2e5 }[
      metric as string
    ] ?? 2000;
  return [
    `alr_${projectId}_${i}`,
    projectId,
    `rule ${i}`,
    metric,
    JSON.stringify(filters),
    window,
    i % 4 === 3 ? "<" : ">",
    // "Below" rules watch for a drop: a hundredth of the "above" line.
    i % 4 === 3 ? threshold / 100 : threshold,
    5,
    group,
  ];
}

/** The bench's databases in `dir` (local D1's files): projects, rules and the rollups of their events up to `now`. */
export function prepare(dir: string, now: number) {
  const state = benchState(dir, "alerts");
  const files = localD1Files(state, CONFIG);
  const control = new DatabaseSync(files.DB!);
  control.exec("BEGIN");
  const place = control.prepare("INSERT INTO projects (id, org_id, name, shard) VALUES (?, 'org_bench', ?, ?)");
  const rule = control.prepare(
    `INSERT INTO alert_rules (id, project_id, name, metric, filters, window_minutes, op, threshold, min_count, group_by,
       signing_secret, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'whsec_bench', 'http://127.0.0.1')`,
  );
  let rules = 0;
  for (let p = 0; p < PROJECTS; p++) {
    place.run(project(p), project(p), p % SHARDS);
    for (let i = 0; i < Math.min(100, RULES - p * 100); i++, rules++) rule.run(...ruleRow(project(p), i));
  }
  control.exec("COMMIT");
  control.close();
  let rows = 0;
  const started = performance.now();
  for (let p = 0; p < PROJECTS; p++) {
    const db = new DatabaseSync(files[`DATA_${p % SHARDS}`] ?? files.DB!);
    rows += loadProject(db, project(p), Math.floor(EVENTS / PROJECTS), now, 11 + p);
    db.close();
  }
  console.log(
    `Loaded ${fmt(rows)} rollup rows for ${fmt(EVENTS)} events and ${fmt(rules)} rules in ${fmt((performance.now() - started) / 1000, 1)} s`,
  );
  return { state, rules };
}

/** CPU seconds (user + system) of the workerd processes in wrangler's process group. */
function workerdCpu(group: number) {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === group && stat.includes("(workerd)")) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended
    }
  }
  return ticks / 100;
}

const rowsOf = (meter: Meter, pick: (sql: string) => boolean) =>
  Object.entries(meter)
    .filter(([sql]) => pick(sql))
    .reduce(
      (a, [, m]) => ({
        statements: a.statements + m.statements,
        read: a.read + m.rowsRead,
        written: a.written + m.rowsWritten,
      }),
      { statements: 0, read: 0, written: 0 },
    );

/**
 * The same evaluation in Node over the same files: the CPU time of the main thread (where the Worker's code and
 * node:sqlite run) less its time inside SQLite is the code's own (`codeMs`); `processMs` is the whole process's CPU
 * time (code, SQLite, and the garbage collector's and other threads' work alongside).
 */
export async function cpuInNode(state: string, minute: number, evaluate = evaluateAlerts) {
  const files = localD1Files(state, CONFIG);
  const clock = { ms: 0 };
  const open = new Map<string, DatabaseSync>();
  const env: Record<string, D1Database> = {};
  for (const [binding, file] of Object.entries(files)) {
    if (!open.has(file)) open.set(file, new DatabaseSync(file));
    env[binding] = sqliteAsFullD1(open.get(file)!, clock);
  }
  const thread = threadCpuMs();
  const cpu = process.cpuUsage();
  const report = await evaluate(env as unknown as Bindings, minute, 600_000);
  const used = process.cpuUsage(cpu);
  const threadMs = threadCpuMs() - thread;
  for (const db of open.values()) db.close();
  return { report, sqliteMs: clock.ms, codeMs: threadMs - clock.ms, processMs: (used.user + used.system) / 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const nodeOnly = process.argv.includes("--node-only");
  const dir = join("bench", ".data", `alerts-${Date.now()}`);
  const at = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
  const { state, rules } = prepare(dir, at);
  const consumer = nodeOnly ? null : await startConsumer(state);
  try {
    if (consumer) {
      const pgid = consumer.pid ?? 0;
      const results = [];
      for (const minute of [at, at + MINUTE_MS]) {
        const before = workerdCpu(pgid);
        const res = await fetch(`${consumer.base}/alerts`, { method: "POST", body: JSON.stringify({ at: minute }) });
        if (!res.ok) throw new Error(`alerts bench failed: ${await res.text()}`);
        const out = (await res.json()) as {
          report: Record<string, number>;
          ms: number;
          meters: { control: Meter; data: Meter };
        };
        results.push({ ...out, cpu: workerdCpu(pgid) - before });
      }
      // What "rules × buckets" comes to: each rule's buckets (minute and hour) over its window, as the reads take them.
      const buckets = Array.from({ length: rules }, (_, i) => ruleRow("p", i % 100)[5] as number).reduce((n, w) => {
        const ranges = windowRanges(at - w * MINUTE_MS, at, Date.now());
        return (
          n + ranges.reduce((k, r) => k + Math.ceil((r.to - r.from) / (r.grain === "hour" ? HOUR_MS : MINUTE_MS)), 0)
        );
      }, 0);
      console.log(`
Alert evaluation: ${fmt(rules)} rules in ${PROJECTS} projects over the rollups of ${fmt(EVENTS)} events (7 days), local D1 under workerd

| minute | rules judged | failed | notifications (the rules have no channels) | workerd CPU s (Worker + local D1) | wall ms | D1 rows read: rollups | states and rules | D1 rows written | statements |
|---|---|---|---|---|---|---|---|---|---|`);
      results.forEach((r, i) => {
        const rollups = rowsOf(r.meters.data, () => true);
        const control = rowsOf(r.meters.control, () => true);
        console.log(
          `| ${i === 0 ? "first (states created)" : "next (steady)"} | ${fmt(r.report.evaluated!)} | ${fmt(r.report.failed!)} | ${fmt(r.report.notifications!)} | ${fmt(r.cpu, 2)} | ${fmt(r.ms)} | ${fmt(rollups.read)} | ${fmt(control.read)} | ${fmt(rollups.written + control.written)} | ${fmt(rollups.statements + control.statements)} |`,
        );
      });
      const steady = results[1]!;
      const read = rowsOf(steady.meters.data, () => true).read;
      console.log(`
Rules × buckets (each rule's minute and hour buckets over its window): ${fmt(buckets)}; rollup rows read per rule ${fmt(read / rules)}.`);
      await consumer.stop();
    }
    // More minutes in Node: the first warms the code up, the next three are measured (their median judged).
    await cpuInNode(state, at + 2 * MINUTE_MS);
    const runs: Array<Awaited<ReturnType<typeof cpuInNode>>> = [];
    for (let i = 3; i < 6; i++) runs.push(await cpuInNode(state, at + i * MINUTE_MS));
    const code = median(runs.map((r) => r.codeMs));
    const range = (pick: (r: (typeof runs)[number]) => number) => runs.map((r) => fmt(pick(r))).join(" / ");
    console.log(`
The same evaluation in Node over the same databases (node:sqlite), three minutes after a warm-up one: ${fmt(runs[0]!.report.evaluated!)} rules each.
CPU time of the main thread in WatchLLM's code (the Worker's CPU time; D1 runs elsewhere): ${range((r) => r.codeMs)} ms (median ${fmt(code)} ms).
The same thread inside SQLite: ${range((r) => r.sqliteMs)} ms. The whole process (code, SQLite, GC threads): ${range((r) => r.processMs)} ms.
Goal < 1 s of Worker CPU per evaluation minute for 1,000 rules: ${rules >= 1000 ? (code < 1000 ? "met" : "not met") : `judged at 1,000 rules only (${fmt((code * 1000) / rules)} ms scaled from ${fmt(rules)})`}.`);
  } finally {
    await consumer?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await main();
