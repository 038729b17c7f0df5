// The outsider walk: a victim with data, and outsiders on the victim's data database and on another one. Every route
// in the app's own route table is called as an outsider (their cookie session, secret key, ingest key, or nothing)
// aimed at the victim's ids. Each answer must be 401/403/404 and leak nothing; public routes must answer without the
// victim's data. A route added later joins the walk by itself; a path parameter the walk doesn't know fails it until
// a victim value is added below.
import { createExecutionContext, createMessageBatch, env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../../src/app.ts";
import worker from "../../src/index.ts";
import { validateEvents } from "../../src/ingest/validate.ts";
import { validateScores } from "../../src/scores/validate.ts";
import { browser, type SignedUp, signUp } from "./account-fixtures.ts";
import { dataOf } from "./fixtures.ts";

type Tenant = Awaited<ReturnType<typeof signUp>>;

/**
 * Routes anyone may call; they must still not reveal the victim's data. The ways in (events, OTLP, Langfuse) write
 * into the caller's own key's project, whatever the body names.
 */
const PUBLIC = new Set([
  "GET /api/health",
  "POST /api/auth/signup",
  "POST /api/auth/login",
  "POST /api/auth/logout",
  "GET /api/auth/session",
  "GET /api/me",
  "GET /api/orgs",
  "POST /api/orgs",
  "POST /api/v1/events",
  "POST /api/v1/scores",
  "POST /api/v1/otel/v1/traces",
  "POST /api/public/otel/v1/traces",
  "POST /api/v1/otel/v1/logs",
  "POST /api/public/otel/v1/logs",
  "POST /api/public/ingestion",
  // Answers 405 to anyone, as Langfuse does.
  "GET /api/public/ingestion",
  "POST /api/public/scores",
  "GET /api/invites/:token",
  // A share link's token is its only credential: the walk's token is nobody's link (404).
  "GET /api/share/:token",
  "GET /api/share/:token/events/:event_id",
]);

const SECRET_MARKER = `victim-secret-${crypto.randomUUID()}`;
let victim: Tenant;
/** Outsiders on the victim's data database and on another one: rows are scoped by project and by shard. */
let outsiders: { sameShard: Tenant; otherShard: Tenant };
let victimIds: Record<string, string>;

async function seedVictimData(v: SignedUp) {
  const events = validateEvents([
    {
      event_id: "victim-root",
      trace_id: "victim-trace",
      type: "span",
      name: "victim agent",
      timestamp: 1_764_000_000_000,
      duration_ms: 500,
      body: { input: SECRET_MARKER },
      context: { user_id: "victim-end-user", session_id: "victim-session" },
    },
    {
      event_id: "victim-llm",
      trace_id: "victim-trace",
      parent_event_id: "victim-root",
      type: "model_response",
      name: "chat",
      model: "gpt-4o",
      timestamp: 1_764_000_000_100,
      usage: { input_tokens: 10, output_tokens: 5 },
      body: { output: SECRET_MARKER },
      context: { user_id: "victim-end-user", session_id: "victim-session" },
    },
  ]).events;
  const { scores } = await validateScores(
    [{ score_id: "victim-score", trace_id: "victim-trace", name: "victim-quality", value: 1, comment: SECRET_MARKER }],
    { kind: "secret", id: "seed" },
    [],
  );
  const batch = createMessageBatch("watchllm-events", [
    {
      id: "seed",
      timestamp: Date.now(),
      attempts: 1,
      body: { project_id: v.project.id, received_at: 1, events, scores },
    },
  ]);
  await worker.queue(batch, env, createExecutionContext());
}

const shardOf = async (t: Tenant) =>
  (await env.DB.prepare("SELECT shard FROM projects WHERE id = ?").bind(t.project.id).first<number>("shard"))!;

beforeAll(async () => {
  // New projects go to the least loaded of the two data databases: victim, then one on each.
  victim = await signUp("Victim");
  const first = await signUp("Outsider");
  const second = await signUp("Outsider");
  const [v, a] = [await shardOf(victim), await shardOf(first)];
  outsiders = v === a ? { sameShard: first, otherShard: second } : { sameShard: second, otherShard: first };
  await seedVictimData(victim);
  const inviteRes = await victim.browser.request(`/api/orgs/${victim.org.id}/invites`, {
    method: "POST",
    json: { role: "admin" },
  });
  const { invite } = (await inviteRes.json()) as { invite: { id: string } };
  const [key] = (
    (await (await victim.browser.request(`/api/projects/${victim.project.id}/keys`)).json()) as {
      keys: Array<{ id: string }>;
    }
  ).keys;
  const priceRes = await victim.browser.request("/api/v1/prices", {
    method: "POST",
    json: { model: "victim-model", rates: { input_mtok: 1 } },
    headers: { "X-WatchLLM-Project": victim.project.id },
  });
  const { price } = (await priceRes.json()) as { price: { id: string } };
  // A deletion of the victim's (an end user's data, nothing to delete): its status is the victim's too.
  const deletionRes = await victim.browser.request("/api/v1/users/victim-nobody", {
    method: "DELETE",
    headers: { "X-WatchLLM-Project": victim.project.id },
  });
  const { deletion } = (await deletionRes.json()) as { deletion: { id: string } };
  await victim.browser.request(`/api/projects/${victim.project.id}/score-configs/victim-quality`, {
    method: "PUT",
    json: { kind: "numeric", description: SECRET_MARKER },
  });
  // An alert rule of the victim's: outsiders can neither read, change, delete nor test it.
  const alertRes = await victim.browser.request(`/api/projects/${victim.project.id}/alerts`, {
    method: "POST",
    json: { name: "victim alert", metric: "cost", window_minutes: 60, op: ">", threshold: 1 },
  });
  const { alert } = (await alertRes.json()) as { alert: { id: string } };
  // A share link of the victim's trace: outsiders can neither list nor revoke it.
  const shareRes = await victim.browser.request(`/api/projects/${victim.project.id}/shares`, {
    method: "POST",
    json: { trace_id: "victim-trace" },
  });
  const { share } = (await shareRes.json()) as { share: { id: string } };
  victimIds = {
    org: victim.org.id,
    project: victim.project.id,
    trace_id: "victim-trace",
    event_id: "victim-root",
    session_id: "victim-session",
    user_id: victim.user.id,
    key_id: key!.id,
    invite_id: invite.id,
    price_id: price.id,
    id: deletion.id,
    alert: alert.id,
    token: "not-a-real-invite-token",
    name: "victim-quality",
    score_id: "victim-score",
    share_id: share.id,
  };
});

/** Strings only the victim's data contains: none may appear in an answer to the outsider. */
const leaks = () => [
  SECRET_MARKER,
  victim.user.email,
  victim.org.name,
  "victim agent",
  "victim-end-user",
  "victim-model",
  "victim alert",
  victim.keys.secret,
  victim.keys.ingest,
];

/** Every route once; logout last, since it (rightly) ends the outsider's session. */
function routeTable() {
  const seen = new Set<string>();
  const isLogout = (r: { path: string }) => Number(r.path === "/api/auth/logout");
  return app.routes
    .filter((r) => r.method !== "ALL")
    .map((r) => ({ method: r.method, path: r.path }))
    .filter((r) => !seen.has(`${r.method} ${r.path}`) && seen.add(`${r.method} ${r.path}`))
    .sort((a, b) => isLogout(a) - isLogout(b));
}

function fill(path: string) {
  return path.replace(/:([a-z_]+)/g, (_, name: string) => {
    const value = name === "user_id" && path.startsWith("/api/v1/users") ? "victim-end-user" : victimIds[name];
    if (!value)
      throw new Error(`The outsider walk has no victim value for :${name} in ${path}; add one in isolation.test.ts`);
    return encodeURIComponent(value);
  });
}

const BODY = {
  name: "x",
  role: "owner",
  kind: "secret",
  email: "intruder@example.com",
  password: "password123",
  events: [],
};

describe("tenant isolation: the outsider walk", () => {
  it("covers every route of the app", () => {
    const table = routeTable();
    expect(table.length).toBeGreaterThan(15);
    for (const r of table) expect(() => fill(r.path)).not.toThrow();
  });

  it("has outsiders on the victim's data database and on another one", async () => {
    expect(await shardOf(outsiders.sameShard)).toBe(await shardOf(victim));
    expect(await shardOf(outsiders.otherShard)).not.toBe(await shardOf(victim));
  });

  const credentials = ["session", "secret key", "ingest key", "nothing"] as const;
  for (const [where, as] of (["sameShard", "otherShard"] as const).flatMap((w) =>
    credentials.map((a) => [w, a] as const),
  )) {
    it(`refuses the outsider's ${as} on every victim resource (${where === "sameShard" ? "same" : "other"} data database)`, async () => {
      const outsider = outsiders[where];
      const failures: string[] = [];
      for (const route of routeTable()) {
        const url = `${fill(route.path)}?project_id=${victimIds.project}&a=${victimIds.trace_id}&b=${victimIds.trace_id}`;
        const headers: Record<string, string> = { "X-WatchLLM-Project": victimIds.project! };
        const b = browser();
        if (as === "session") b.cookie = outsider.browser.cookie;
        if (as === "secret key") headers.Authorization = `Bearer ${outsider.keys.secret}`;
        if (as === "ingest key") headers.Authorization = `Bearer ${outsider.keys.ingest}`;
        const hasBody = !["GET", "HEAD", "DELETE"].includes(route.method);
        const res = await b.request(url, { method: route.method, headers, ...(hasBody ? { json: BODY } : {}) });
        const text = await res.text();
        const label = `${route.method} ${route.path} as ${as} → ${res.status}`;
        const leaked = leaks().filter((s) => text.includes(s));
        if (leaked.length) failures.push(`${label} leaked ${leaked.join(", ")}`);
        // A signed-in outsider must be refused for who they are (403/404), not for being signed out.
        const refusals = as === "session" ? [403, 404] : [401, 403, 404];
        if (!PUBLIC.has(`${route.method} ${route.path}`) && !refusals.includes(res.status))
          failures.push(`${label}: ${text.slice(0, 200)}`);
      }
      expect(failures).toEqual([]);
    });
  }

  it("left the victim's org, members, keys, invites and data untouched", async () => {
    const members = (await (await victim.browser.request(`/api/orgs/${victim.org.id}/members`)).json()) as {
      members: unknown[];
    };
    expect(members.members).toHaveLength(1);
    const keys = (await (await victim.browser.request(`/api/projects/${victim.project.id}/keys`)).json()) as {
      keys: Array<{ revoked_at: unknown }>;
    };
    expect(keys.keys.every((k) => k.revoked_at === null)).toBe(true);
    const invites = (await (await victim.browser.request(`/api/orgs/${victim.org.id}/invites`)).json()) as {
      invites: unknown[];
    };
    expect(invites.invites).toHaveLength(1);
    const projects = (await (await victim.browser.request(`/api/orgs/${victim.org.id}/projects`)).json()) as {
      projects: unknown[];
    };
    expect(projects.projects).toHaveLength(1);
    const { n } = (await (
      await dataOf(victim.project.id)
    )
      .prepare("SELECT count(*) AS n FROM events WHERE project_id = ?")
      .bind(victim.project.id)
      .first<{ n: number }>())!;
    expect(n).toBe(2);
    const trace = (await (
      await victim.browser.request(`/api/v1/traces/victim-trace?project_id=${victim.project.id}`)
    ).json()) as { scores: Array<{ score_id: string }> };
    expect(trace.scores.map((s) => s.score_id)).toEqual(["victim-score"]);
    const configs = (await (
      await victim.browser.request(`/api/projects/${victim.project.id}/score-configs`)
    ).json()) as { configs: unknown[] };
    expect(configs.configs).toHaveLength(1);
    const shares = (await (await victim.browser.request(`/api/projects/${victim.project.id}/shares`)).json()) as {
      shares: Array<{ revoked_at: unknown }>;
    };
    expect(shares.shares.map((s) => s.revoked_at)).toEqual([null]);
  });
});
