// Shared test fixtures: a project with keys, event builders, HTTP helpers and a poll-until helper.
import { env, SELF } from "cloudflare:test";
import { mintKey } from "../../src/auth/keys.ts";
import { database } from "../../src/db/client.ts";
import { apiKeys, orgs, projects } from "../../src/db/schema.ts";
import { newId } from "../../src/lib/ids.ts";

export const db = database(env.DB);

export async function createProject(name = "test") {
  const orgId = newId("org");
  const projectId = newId("prj");
  const ingest = await mintKey(projectId, "ingest");
  const secret = await mintKey(projectId, "secret");
  await db.batch([
    db.insert(orgs).values({ id: orgId, name }),
    db.insert(projects).values({ id: projectId, orgId, name }),
    db.insert(apiKeys).values([ingest.row, secret.row]),
  ]);
  return { orgId, projectId, ingestKey: ingest.plaintext, secretKey: secret.plaintext, ingestKeyId: ingest.row.id };
}

let counter = 0;
export function makeEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> & { event_id: string } {
  counter += 1;
  return {
    event_id: crypto.randomUUID(),
    trace_id: "trace-" + counter,
    parent_event_id: null,
    type: "span",
    name: "step-" + counter,
    timestamp: 1_764_000_000_000 + counter,
    duration_ms: 10,
    ...overrides,
  };
}

export function postEvents(body: unknown, init: { key?: string; headers?: Record<string, string>; query?: string } = {}) {
  const headers: Record<string, string> = { "Content-Type": "application/json", ...init.headers };
  if (init.key) headers.Authorization = `Bearer ${init.key}`;
  return SELF.fetch(`https://watchllm.test/api/v1/events${init.query ?? ""}`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Polls `read` until `done` holds for its result (the real local queue delivers asynchronously). */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`waitFor timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function storedEvents(projectId: string) {
  const { results } = await env.DB.prepare("SELECT * FROM events WHERE project_id = ? ORDER BY ts, event_id")
    .bind(projectId)
    .all<Record<string, unknown>>();
  return results;
}
