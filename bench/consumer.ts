// The bench consumer Worker (bench/consumer-worker.ts, bench/wrangler.toml) for bench:ingest and bench:storage: local
// state with projects placed on data databases, queue batches built from wire events, and the calls that hand them to
// the real consumer inside workerd.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { QueueMessage } from "../contract/queue.ts";
import { freePort, startDevServer } from "../scripts/dev-server.ts";
import { finishRekeyIn, sqliteRunner } from "../scripts/finish-rekey.ts";
import { localD1Files } from "../scripts/local-d1.ts";
import { finishEventsRekey } from "../src/db/writes/events-rekey.ts";
import { packMessages } from "../src/ingest/enqueue.ts";
import { validateEvents } from "../src/ingest/validate.ts";
import { type Meter, mergeMeter } from "./d1-meter.ts";
import type { WireEvent } from "./generate.ts";

export const CONFIG = "bench/wrangler.toml";
/** The data databases bench/wrangler.toml binds (DATA_0 … DATA_3). */
export const SHARDS = 4;
/** The project of single-project runs (on DATA_0, the control-plane database, like a one-database instance). */
export const BENCH_PROJECT = "prj_bench";
/** The project placed on shard `i` for the shard runs. */
export const shardProject = (i: number) => `prj_shard${i}`;

/**
 * Every migration, as one script (what `wrangler d1 migrations apply` runs, without its bookkeeping table); run
 * finishRekeyIn (scripts/finish-rekey.ts) on the file after it, as applyMigrations does (or `migratePlain`).
 */
export const MIGRATION_SQL = readdirSync("migrations")
  .filter((f) => f.endsWith(".sql"))
  .sort()
  .map((f) => readFileSync(join("migrations", f), "utf8").replaceAll("--> statement-breakpoint", ""))
  .join("\n");

/** A plain SQLite database with every migration applied and migration 0029's job finished (as applyMigrations does). */
export async function migratePlain(db: DatabaseSync) {
  db.exec(MIGRATION_SQL);
  await finishEventsRekey(sqliteRunner(db));
}

/**
 * A fresh local state in `dir/name`, copied from a template built once per `dir`: every database of CONFIG migrated
 * (written straight into the files local D1 opens: `wrangler d1 migrations apply` takes ~15 s per database here), and
 * the bench's projects placed in the control plane: BENCH_PROJECT on shard 0, shardProject(i) on shard i.
 */
export function benchState(dir: string, name: string) {
  const template = join(dir, "template");
  if (!existsSync(template)) {
    const files = localD1Files(template, CONFIG);
    for (const file of new Set(Object.values(files))) {
      mkdirSync(dirname(file), { recursive: true });
      const db = new DatabaseSync(file);
      db.exec(MIGRATION_SQL);
      if (file === files.DB) {
        const place = db.prepare("INSERT INTO projects (id, org_id, name, shard) VALUES (?, 'org_bench', ?, ?)");
        db.exec("INSERT INTO orgs (id, name) VALUES ('org_bench', 'bench')");
        place.run(BENCH_PROJECT, BENCH_PROJECT, 0);
        for (let i = 0; i < SHARDS; i++) place.run(shardProject(i), shardProject(i), i);
      }
      db.close();
    }
    finishRekeyIn(Object.values(files));
  }
  const persistTo = join(dir, name);
  cpSync(template, persistTo, { recursive: true });
  return persistTo;
}

/** Queue batches as the queue would deliver them: `perRequest` events per SDK request, `perBatch` messages per call. */
export function queueBatches(projectId: string, events: WireEvent[], perRequest: number, perBatch: number) {
  const messages: QueueMessage[] = [];
  for (let i = 0; i < events.length; i += perRequest) {
    const { events: valid } = validateEvents(events.slice(i, i + perRequest));
    messages.push(...packMessages(projectId, valid, 1).map((m) => m.body));
  }
  const batches: QueueMessage[][] = [];
  for (let i = 0; i < messages.length; i += perBatch) batches.push(messages.slice(i, i + perBatch));
  return batches;
}

export async function startConsumer(persistTo: string, vars?: Record<string, string>) {
  const server = await startDevServer({
    port: await freePort(),
    persistTo,
    config: CONFIG,
    quiet: !process.env.BENCH_VERBOSE,
    vars,
  });
  /** The rows D1 reported to the consumer, summed over every consume() call, per SQL text (bench/d1-meter.ts). */
  const meters = { control: {} as Meter, data: {} as Meter };
  /** Hands the batches to the consumer one after another; the milliseconds spent inside the queue handler. */
  const consume = async (batches: QueueMessage[][]) => {
    let ms = 0;
    for (const batch of batches) {
      const res = await fetch(`${server.base}/consume`, { method: "POST", body: JSON.stringify({ batches: [batch] }) });
      const text = await res.text();
      // wrangler dev answers in plain text when the Worker restarted mid-request (a watched file changed, or workerd
      // crashed): the timing is lost, so say so instead of retrying.
      if (!text.startsWith("{")) throw new Error(`consumer bench failed (run it again): ${text.slice(0, 200)}`);
      const out = JSON.parse(text) as { ms?: number; meters: typeof meters; error?: string };
      if (!res.ok || out.ms === undefined) throw new Error(`consumer bench failed: ${out.error}`);
      ms += out.ms;
      mergeMeter(meters.control, out.meters.control);
      mergeMeter(meters.data, out.meters.data);
    }
    return ms;
  };
  const bodies = async () =>
    (await (await fetch(`${server.base}/bodies`)).json()) as { objects: number; bytes: number };
  /** Runs the real retention over a project until nothing is left to expire, as of `now`. */
  const expire = async (project: string, shard: number, days: number, now: number) => {
    const res = await fetch(`${server.base}/expire`, {
      method: "POST",
      body: JSON.stringify({ project, shard, days, now }),
    });
    if (!res.ok) throw new Error(`retention bench failed: ${await res.text()}`);
    return (await res.json()) as { deleted: number; ms: number; meters: typeof meters };
  };
  return { consume, expire, meters, bodies, base: server.base, pid: server.process.pid, stop: () => server.stop() };
}
