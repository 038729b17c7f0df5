// A benchmark dataset written through WatchLLM's own write path (events, trace summaries, search index) into any
// D1-shaped database: `traces` ordinary traces of 10 events over 30 days, plus one 1,000- and one 10,000-span trace.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { applyMigrations, keyInsertSql, literal, localD1Files } from "../scripts/local-d1.ts";
import { mintKey } from "../src/auth/keys.ts";
import { writeMessages } from "../src/db/writes/events.ts";
import { packMessages } from "../src/ingest/enqueue.ts";
import { validateEvents } from "../src/ingest/validate.ts";
import { generateTrace, rng, type WireEvent } from "./generate.ts";
import { sqliteAsD1 } from "./sqlite-d1.ts";

export const DATASET_START = 1_761_000_000_000;
const SPAN = 30 * 86_400_000;

export const bigTraceId = (spans: number) => `big-${spans}`;

async function writeDataset(d1: D1Database, projectId: string, traces: number, onProgress?: (done: number) => void) {
  const rand = rng(7);
  const store = async (events: WireEvent[]) => {
    const stored = validateEvents(events).events;
    await writeMessages(
      d1,
      packMessages(projectId, stored, DATASET_START + SPAN).map((m) => m.body),
    );
  };
  // The two big traces arrive in the middle of the stream, when they happen, like everything else.
  const bigTraces = async () => {
    for (const spans of [1_000, 10_000]) {
      const events = generateTrace(rand, 0, DATASET_START + SPAN / 2, spans).map((e) => ({
        ...e,
        trace_id: bigTraceId(spans),
        event_id: `${bigTraceId(spans)}-${e.event_id}`,
        parent_event_id: e.parent_event_id && `${bigTraceId(spans)}-${e.parent_event_id}`,
      }));
      for (let i = 0; i < events.length; i += 1_000) await store(events.slice(i, i + 1_000));
    }
  };
  let pending: WireEvent[] = [];
  for (let t = 0; t < traces; t++) {
    if (t === Math.floor(traces / 2)) await bigTraces();
    pending.push(...generateTrace(rand, t, DATASET_START + Math.floor((t / traces) * SPAN)));
    if (pending.length >= 10_000) {
      await store(pending);
      pending = [];
      onProgress?.(t + 1);
    }
  }
  if (pending.length) await store(pending);
}

export const PROJECT = "prj_bench";
const fmt = (n: number) => n.toLocaleString("en-US");

/**
 * A local D1 state (the one `wrangler dev --persist-to state` serves) holding the dataset, written through WatchLLM's
 * own write SQL, plus a read-only plain-SQLite copy of the same file for baselines. A filled state is reused while
 * the migrations and the write path are unchanged (delete bench/.data to force a refill).
 */
export async function prepareDataset(traces: number) {
  const fingerprint = createHash("sha256");
  for (const f of readdirSync("migrations")
    .filter((f) => f.endsWith(".sql"))
    .sort())
    fingerprint.update(readFileSync(join("migrations", f)));
  for (const f of ["bench/generate.ts", "bench/dataset.ts"]) fingerprint.update(readFileSync(f));
  for (const f of readdirSync("src/db/writes").sort()) fingerprint.update(readFileSync(join("src/db/writes", f)));
  const dir = join("bench", ".data", `api-${traces}-${fingerprint.digest("hex").slice(0, 12)}`);
  const state = join(dir, "state");
  const d1File = localD1Files(state).DB!;
  const keyFile = join(dir, "secret-key.txt");
  if (!existsSync(keyFile)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    applyMigrations({ persistTo: state });
    const file = new DatabaseSync(d1File);
    const secret = await mintKey(PROJECT, "secret");
    file.exec(
      `INSERT INTO orgs (id, name) VALUES ('org_bench', 'Bench'); INSERT INTO projects (id, org_id, name) VALUES (${literal(PROJECT)}, 'org_bench', 'bench'); ${keyInsertSql(secret.row)}`,
    );
    const start = performance.now();
    await writeDataset(
      sqliteAsD1(file),
      PROJECT,
      traces,
      (done) => done % 20_000 === 0 && process.stdout.write(`  ${fmt(done)} traces written\r`),
    );
    console.log(`${fmt(traces)} traces written in ${((performance.now() - start) / 1000).toFixed(0)} s`);
    file.exec("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE");
    file.close();
    writeFileSync(keyFile, secret.plaintext);
  }
  const secretKey = readFileSync(keyFile, "utf8");
  const { n } = new DatabaseSync(d1File, { readOnly: true }).prepare("SELECT count(*) AS n FROM events").get() as {
    n: number;
  };
  console.log(`dataset: ${fmt(traces)} traces, ${fmt(n)} events (${dir})`);
  const plainFile = join(dir, "plain.sqlite");
  copyFileSync(d1File, plainFile);
  const plain = new DatabaseSync(plainFile, { readOnly: true });

  return { state, secretKey, plain };
}
