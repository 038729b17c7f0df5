// Helpers for the gateway tests: a fresh project (through the real sign-up API), the fake upstream's request log,
// the local D1 files read directly (retrying while workerd holds a write lock), and polling with a deadline.
import { inject } from "vitest";
import { localD1Files } from "../../scripts/local-d1.ts";
import type { Logged } from "../support/fake-upstream.ts";
import { queryRows } from "../support/sqlite.ts";
import { waitFor } from "../support/wait.ts";

export const base = inject("gatewayBase");
export const upstream = inject("upstreamUrl");
const stateDir = inject("stateDir");

export type Project = { projectId: string; ingestKey: string; secretKey: string; cookie: string };

/** A new user, org and project with its first keys, through the real sign-up route. */
export async function newProject(): Promise<Project> {
  const res = await fetch(`${base}/api/auth/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: base },
    body: JSON.stringify({
      email: `gw-${crypto.randomUUID()}@example.com`,
      password: "correct horse battery",
      name: "Gateway",
    }),
  });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { project: { id: string }; keys: { ingest: string; secret: string } };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return { projectId: body.project.id, ingestKey: body.keys.ingest, secretKey: body.keys.secret, cookie };
}

/** Calls a dashboard route as the project's owner (session cookie, same-origin JSON). */
export async function asOwner(project: Project, method: string, path: string, json?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      Cookie: project.cookie,
      Origin: base,
      ...(json !== undefined && { "Content-Type": "application/json" }),
    },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers loosely
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** A provider key no other test uses: the fake upstream's log is read back by it. */
export const providerKey = (label: string) => `sk-test-${label}-${crypto.randomUUID()}`;

export async function upstreamRequests(key: string): Promise<Logged[]> {
  return (await (
    await fetch(`${upstream}/__fake/requests?auth=${encodeURIComponent(`Bearer ${key}`)}`)
  ).json()) as Logged[];
}

export async function upstreamRequestsByApiKey(key: string): Promise<Logged[]> {
  return (await (await fetch(`${upstream}/__fake/requests?auth=${encodeURIComponent(key)}`)).json()) as Logged[];
}

export async function release(authorization: string) {
  const res = await fetch(`${upstream}/__fake/release?auth=${encodeURIComponent(authorization)}`, { method: "POST" });
  return ((await res.json()) as { released: boolean }).released;
}

/** The local D1 database files wrangler dev writes: the control database and every data shard (read-only, opened
 * per query so every read sees the latest). */
const d1Files = () => [...new Set(Object.values(localD1Files(stateDir)))];

/** Runs the query on every local database (all carry every table) and joins the rows; waits out workerd's writes. */
export async function query<T = Record<string, unknown>>(sql: string, ...params: Array<string | number>): Promise<T[]> {
  return (await Promise.all(d1Files().map((file) => queryRows<T>(file, sql, ...params)))).flat();
}

// biome-ignore lint/suspicious/noExplicitAny: rows of any table, read loosely
export type StoredRow = Record<string, any> & { context: string | null; body: string | null };

/** Every table of the database, every row, as text: for "this secret is stored nowhere". */
export async function dumpDatabase(): Promise<string> {
  const tables = [
    ...new Set(
      (await query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")).map((t) => t.name),
    ),
  ];
  const dumps = await Promise.all(
    tables.map(async (t) => `${t}\n${JSON.stringify(await query(`SELECT * FROM "${t.replaceAll('"', '""')}"`))}`),
  );
  return dumps.join("\n");
}

/** The stored event with this id, once the consumer has written it. */
export async function storedEvent(projectId: string, eventId: string): Promise<StoredRow> {
  const [row] = await waitFor(
    () => query<StoredRow>("SELECT * FROM events WHERE project_id = ? AND event_id = ?", projectId, eventId),
    (rows) => rows.length === 1,
  );
  return {
    ...row!,
    body: row!.body,
    context: row!.context,
    bodyJson: row!.body ? JSON.parse(row!.body) : null,
    contextJson: row!.context ? JSON.parse(row!.context) : null,
  };
}

export { waitFor };

/** The gateway's header names for an ingest key and optional WatchLLM-* extras. */
export const watchllm = (key: string, extra: Record<string, string> = {}) => ({
  "WatchLLM-Auth": `Bearer ${key}`,
  ...extra,
});

/** The error a call failed with (the test fails if it succeeded). */
export function rejection<E>(call: Promise<unknown>): Promise<E> {
  return call.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (err: unknown) => err as E,
  );
}
