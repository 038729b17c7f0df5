// `npm run bench:api [traces]`: the trace API's reads over 100,000 traces / 1,000,000 events in local D1, through
// the real Worker under `wrangler dev`, beside the same SQL on plain SQLite (node:sqlite) over a copy of the file.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { mintKey } from "../src/auth/keys.ts";
import { database } from "../src/db/client.ts";
import { traceQuery, treeEventsQuery, TREE_INLINE_BODY_BYTES, TREE_INLINE_MAX_EVENTS } from "../src/db/queries/trace-events.ts";
import { traceListParams, traceListQuery } from "../src/db/queries/trace-list.ts";
import { startDevServer } from "../scripts/dev-server.ts";
import { applyMigrations, keyInsertSql, literal } from "../scripts/local-d1.ts";
import { bigTraceId, DATASET_START, writeDataset } from "./dataset.ts";
import { sqliteAsD1 } from "./sqlite-d1.ts";

const TRACES = Number(process.argv[2] ?? 100_000);
const RUNS = 40;
const PROJECT = "prj_bench";
const fmt = (n: number) => n.toLocaleString("en-US");

// 1. Fill the local D1 file (the one `wrangler dev` will serve) through WatchLLM's own write SQL. A filled state is
// reused while the migrations and the generator are unchanged (delete bench/.data to force a refill).
const fingerprint = createHash("sha256");
for (const f of readdirSync("migrations").filter((f) => f.endsWith(".sql")).sort()) fingerprint.update(readFileSync(join("migrations", f)));
for (const f of ["bench/generate.ts", "bench/dataset.ts", "src/ingest/write.ts", "src/ingest/summarize.ts", "src/ingest/search-index.ts"]) fingerprint.update(readFileSync(f));
const dir = join("bench", ".data", `api-${TRACES}-${fingerprint.digest("hex").slice(0, 12)}`);
const state = join(dir, "state");
const d1Dir = join(state, "v3", "d1", "miniflare-D1DatabaseObject");
const keyFile = join(dir, "secret-key.txt");
if (!existsSync(keyFile)) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  applyMigrations({ persistTo: state });
  const file = new DatabaseSync(join(d1Dir, readdirSync(d1Dir).find((f) => f.endsWith(".sqlite"))!));
  const secret = await mintKey(PROJECT, "secret");
  file.exec(`INSERT INTO orgs (id, name) VALUES ('org_bench', 'Bench'); INSERT INTO projects (id, org_id, name) VALUES (${literal(PROJECT)}, 'org_bench', 'bench'); ${keyInsertSql(secret.row)}`);
  const start = performance.now();
  await writeDataset(sqliteAsD1(file), PROJECT, TRACES, (done) => done % 20_000 === 0 && process.stdout.write(`  ${fmt(done)} traces written\r`));
  console.log(`${fmt(TRACES)} traces written in ${((performance.now() - start) / 1000).toFixed(0)} s`);
  file.exec("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE");
  file.close();
  writeFileSync(keyFile, secret.plaintext);
}
const secretKey = readFileSync(keyFile, "utf8");
const d1File = join(d1Dir, readdirSync(d1Dir).find((f) => f.endsWith(".sqlite"))!);
const { n } = new DatabaseSync(d1File, { readOnly: true }).prepare("SELECT count(*) AS n FROM events").get() as { n: number };
console.log(`dataset: ${fmt(TRACES)} traces, ${fmt(n)} events (${dir})`);
const plainFile = join(dir, "plain.sqlite");
copyFileSync(d1File, plainFile);
const plain = new DatabaseSync(plainFile, { readOnly: true });

// 2. The reads, each as an API request and as the SQL that request runs.
const from = DATASET_START + 10 * 86_400_000;
const to = from + 3 * 86_400_000;
const sqlOnly = database({} as D1Database); // builds SQL text only; never executes
const listSql = (query: Record<string, string>) => [traceListQuery(sqlOnly, PROJECT, traceListParams.parse(query)).toSQL()];
const treeSql = (traceId: string, spans: number) => [
  traceQuery(sqlOnly, PROJECT, traceId).toSQL(),
  treeEventsQuery(sqlOnly, PROJECT, traceId, spans > TREE_INLINE_MAX_EVENTS ? 0 : TREE_INLINE_BODY_BYTES).toSQL(),
];
const filtered = { status: "ok", model: "gpt-4o", from: String(from), to: String(to) };
const cases = [
  { name: "HTTP floor: GET /api/health (no D1)", path: "/api/health", sql: [] },
  { name: "list, first page (50)", path: "/api/v1/traces", sql: listSql({}) },
  { name: "list, status + model + time range", path: `/api/v1/traces?${new URLSearchParams(filtered)}`, sql: listSql(filtered) },
  { name: "list, q = a rare word (one ticket number)", path: `/api/v1/traces?q=${TRACES - 17}`, sql: listSql({ q: String(TRACES - 17) }) },
  { name: "list, q = a word in every trace", path: "/api/v1/traces?q=latency", sql: listSql({ q: "latency" }) },
  { name: "trace tree, 1,000 spans", path: `/api/v1/traces/${bigTraceId(1_000)}`, sql: treeSql(bigTraceId(1_000), 1_000) },
  { name: "trace tree, 10,000 spans", path: `/api/v1/traces/${bigTraceId(10_000)}`, sql: treeSql(bigTraceId(10_000), 10_000) },
];

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
async function time(run: () => Promise<unknown> | unknown) {
  for (let i = 0; i < 3; i++) await run();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await run();
    ms.push(performance.now() - t);
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

const server = await startDevServer({ port: 8795, persistTo: state, quiet: !process.env.VERBOSE });
const rows: string[] = [];
try {
  for (const c of cases) {
    let count = 0;
    const api = await time(async () => {
      const res = await fetch(server.base + c.path, { headers: { Authorization: `Bearer ${secretKey}` } });
      if (!res.ok) throw new Error(`${c.path}: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { traces?: unknown[]; events?: unknown[] };
      count = (body.traces ?? body.events ?? []).length;
    });
    const base = await time(() => c.sql.forEach((q) => plain.prepare(q.sql).all(...(q.params as SQLInputValue[]))));
    const ms = (x: number) => x.toFixed(1);
    rows.push(`| ${c.name} (${fmt(count)} rows) | ${ms(api.p50)} | ${ms(api.p95)} | ${ms(base.p50)} | ${ms(base.p95)} | ${c.sql.length ? `${(api.p50 / base.p50).toFixed(1)}×` : "—"} |`);
  }
} finally {
  await server.stop();
}
console.log(`\n${RUNS} runs each after 3 warm-ups; API = HTTP request to the Worker under wrangler dev (secret key, local D1)\n`);
console.log("| read | API p50 ms | API p95 ms | same SQL, plain SQLite p50 ms | p95 ms | API / SQLite (p50) |");
console.log("|---|---|---|---|---|---|");
for (const row of rows) console.log(row);
