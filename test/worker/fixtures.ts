// Shared test fixtures: a project with keys, event builders, HTTP helpers and a poll-until helper.
import { createExecutionContext, createMessageBatch, env, SELF } from "cloudflare:test";
import { mintKey } from "../../src/auth/keys.ts";
import { controlDb, dataDb } from "../../src/db/client.ts";
import { apiKeys, orgs, projects } from "../../src/db/schema.ts";
import { dataDatabases, shardDatabase } from "../../src/db/shards.ts";
import { EVENT_COLUMNS } from "../../src/db/writes/events.ts";
import worker from "../../src/index.ts";
import { validateEvents } from "../../src/ingest/validate.ts";
import { newId } from "../../src/lib/ids.ts";
import { type ScoreAuthor, validateScores } from "../../src/scores/validate.ts";
import { waitFor } from "../support/wait.ts";

/** The control plane, and DATA_0 (the same database in tests) as a data database. */
export const db = controlDb(env.DB);
export const data = dataDb(env.DB);

let placed = 0;

/** A project with keys; projects take turns across the data databases (tests run with two), unless `shard` says. */
export async function createProject(name = "test", shard = placed++ % dataDatabases(env).length) {
  const orgId = newId("org");
  const projectId = newId("prj");
  const ingest = await mintKey(projectId, "ingest");
  const secret = await mintKey(projectId, "secret");
  await db.batch([
    db.insert(orgs).values({ id: orgId, name }),
    db.insert(projects).values({ id: projectId, orgId, name, shard }),
    db.insert(apiKeys).values([ingest.row, secret.row]),
  ]);
  return {
    orgId,
    projectId,
    shard,
    ingestKey: ingest.plaintext,
    secretKey: secret.plaintext,
    ingestKeyId: ingest.row.id,
  };
}

/** The data database holding a project (its placement in the control plane). */
export async function dataOf(projectId: string): Promise<D1Database> {
  const row = await env.DB.prepare("SELECT shard FROM projects WHERE id = ?")
    .bind(projectId)
    .first<{ shard: number }>();
  if (!row) throw new Error(`no project ${projectId}`);
  return shardDatabase(env, row.shard);
}

let counter = 0;
export function makeEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> & { event_id: string } {
  counter += 1;
  return {
    event_id: crypto.randomUUID(),
    trace_id: `trace-${counter}`,
    parent_event_id: null,
    type: "span",
    name: `step-${counter}`,
    timestamp: 1_764_000_000_000 + counter,
    duration_ms: 10,
    ...overrides,
  };
}

/** gzip-compresses text (what SDKs send with `Content-Encoding: gzip`). */
export async function gzip(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function postEvents(
  body: unknown,
  init: { key?: string; headers?: Record<string, string>; query?: string } = {},
) {
  const headers: Record<string, string> = { "Content-Type": "application/json", ...init.headers };
  if (init.key) headers.Authorization = `Bearer ${init.key}`;
  return SELF.fetch(`https://watchllm.test/api/v1/events${init.query ?? ""}`, {
    method: "POST",
    headers,
    body:
      typeof body === "string" || body instanceof Uint8Array ? (body as Uint8Array<ArrayBuffer>) : JSON.stringify(body),
  });
}

/** The real local queue delivers asynchronously: poll until a read shows what was sent. */
export { waitFor };

export async function storedEvents(projectId: string) {
  const { results } = await (await dataOf(projectId))
    .prepare("SELECT * FROM events WHERE project_id = ? ORDER BY ts, event_id")
    .bind(projectId)
    .all<Record<string, unknown>>();
  return results;
}

/** Hands wire events straight to the real queue consumer (as one delivery of ≤ 100-event messages) and waits for it. */
export async function deliver(projectId: string, wire: Array<Record<string, unknown>>) {
  const { events, rejected } = validateEvents(wire);
  if (rejected.length) throw new Error(`fixture events rejected: ${JSON.stringify(rejected)}`);
  const messages = [];
  for (let i = 0; i < events.length; i += 100) {
    messages.push({
      id: `m${i}`,
      timestamp: Date.now(),
      attempts: 1,
      body: { project_id: projectId, received_at: Date.now(), events: events.slice(i, i + 100) },
    });
  }
  for (let i = 0; i < messages.length; i += 100) {
    await worker.queue(
      createMessageBatch("watchllm-events", messages.slice(i, i + 100)),
      env,
      createExecutionContext(),
    );
  }
}

/** GET a read route with the project's secret key; returns status, headers and parsed JSON. */
// biome-ignore lint/suspicious/noExplicitAny: tests read answers loosely unless they name a type
export async function read<T = Record<string, any>>(path: string, key: string, headers: Record<string, string> = {}) {
  const res = await SELF.fetch(`https://watchllm.test${path}`, {
    headers: { Authorization: `Bearer ${key}`, ...headers },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
}

/** The `events` columns a database has (one migrated as an older release has fewer): what that release wrote. */
export async function eventColumnsOf(d1: D1Database) {
  const { results } = await d1.prepare("SELECT name FROM pragma_table_info('events')").all<{ name: string }>();
  return EVENT_COLUMNS.filter((c) => results.some((r) => r.name === c));
}

/** The tables holding project data, each with its project column. */
export const DATA_TABLES = ["events", "traces", "cost_hourly", "event_parts", "scores"] as const;

/**
 * How many rows of a project each data table holds in a database, and how many of its traces the search index covers
 * (its rows are one per trace and write, so their number depends on how the events were written).
 */
export async function projectRows(d1: D1Database, projectId: string) {
  const counts: Record<string, number> = {};
  for (const table of DATA_TABLES) {
    counts[table] = (await d1
      .prepare(`SELECT count(*) AS n FROM ${table} WHERE project_id = ?`)
      .bind(projectId)
      .first<number>("n"))!;
  }
  counts.search = (await d1
    .prepare(
      "SELECT count(DISTINCT trace_id) AS n FROM events_fts JOIN events ON events.rowid = events_fts.rowid WHERE project_id = ?",
    )
    .bind(projectId)
    .first<number>("n"))!;
  return counts;
}

/** Hands wire scores (all valid) straight to the real consumer, 100 a message, in one batch. */
export async function deliverScores(
  projectId: string,
  wire: unknown[],
  author: ScoreAuthor = { kind: "secret", id: "test-key" },
) {
  const { scores, rejected } = await validateScores(wire, author, []);
  if (rejected.length) throw new Error(`fixture scores rejected: ${JSON.stringify(rejected)}`);
  const messages = [];
  for (let i = 0; i < scores.length; i += 100)
    messages.push({
      id: `s${i}`,
      timestamp: Date.now(),
      attempts: 1,
      body: { project_id: projectId, received_at: Date.now(), events: [], scores: scores.slice(i, i + 100) },
    });
  await worker.queue(createMessageBatch("watchllm-events", messages), env, createExecutionContext());
}
