// Retention and deletion on request: expired traces go with their bodies, search rows, summaries and (later) rollups,
// in bounded steps that resume; a trace, an end user's data or a whole project can be deleted, with a status to poll
// and an audit entry; nothing of another project is touched, and deleted data is gone from every read route.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ProjectAnswer } from "../../contract/accounts.ts";
import type { AuditLogAnswer, DeletionAnswer } from "../../contract/data.ts";
import type { ErrorBody } from "../../contract/errors.ts";
import { LIFECYCLE_LIMITS } from "../../contract/limits.ts";
import { bodyPrefix, traceBodyPrefix } from "../../src/db/bodies.ts";
import { shardDatabase } from "../../src/db/shards.ts";
import { DAY_MS, HOUR_MS } from "../../src/lib/time.ts";
import { expireProject, runRetention } from "../../src/maintenance/retention.ts";
import { runMaintenance } from "../../src/maintenance/run.ts";
import { browser, signUp } from "./account-fixtures.ts";
import { createProject, deliver, makeEvent, read } from "./fixtures.ts";

type Project = { projectId: string; shard: number; secretKey: string; ingestKey: string };

const NOW = Date.UTC(2026, 5, 1);
/** A body large enough to live in R2. */
const big = (word: string) => `${word} `.repeat(600);

/** The word only a trace's prompt contains (what search finds it by). */
const word = (trace: string) => `prompt${trace.replaceAll("-", "")}`;

/** One agent run: a root span, a priced model call with a body in R2, a tool call; all at `at`. */
function run(trace: string, at: number, user = "u-someone") {
  const root = makeEvent({ trace_id: trace, name: "agent", timestamp: at, context: { user_id: user } });
  return [
    root,
    makeEvent({
      trace_id: trace,
      parent_event_id: root.event_id,
      type: "model_response",
      model: "gpt-4o",
      provider: "openai",
      usage: { input_tokens: 1000, output_tokens: 100 },
      timestamp: at + 10,
      body: { input: big(word(trace)), output: `answer ${trace}` },
      context: { user_id: user },
    }),
    makeEvent({ trace_id: trace, parent_event_id: root.event_id, type: "tool_call", timestamp: at + 20 }),
  ];
}

const data = (p: { shard: number }) => shardDatabase(env, p.shard);
const count = async (p: Project, sql: string, ...args: unknown[]) =>
  (await data(p)
    .prepare(sql)
    .bind(p.projectId, ...args)
    .first<{ n: number }>())!.n;
const events = (p: Project, trace?: string) =>
  trace
    ? count(p, "SELECT count(*) AS n FROM events WHERE project_id = ? AND trace_id = ?", trace)
    : count(p, "SELECT count(*) AS n FROM events WHERE project_id = ?");
const bodies = async (p: Project, trace?: string) =>
  (await env.BODIES.list({ prefix: trace ? await traceBodyPrefix(p.projectId, trace) : bodyPrefix(p.projectId) }))
    .objects.length;
const ftsRows = (p: Project) =>
  count(p, "SELECT count(*) AS n FROM events_fts f JOIN events e ON e.rowid = f.rowid WHERE e.project_id = ?");
const allFts = async (p: Project) =>
  (await data(p).prepare("SELECT count(*) AS n FROM events_fts").first<{ n: number }>())!.n;
const rollupCalls = (p: Project) =>
  count(p, "SELECT coalesce(sum(calls), 0) AS n FROM cost_hourly WHERE project_id = ?");

/** Every summary agrees with the events left (a partial deletion rebuilds what it touched). */
async function summariesMatchEvents(p: Project) {
  const { results } = await data(p)
    .prepare(
      `SELECT t.trace_id, t.span_count, (SELECT count(*) FROM events e WHERE e.project_id = t.project_id
         AND e.trace_id = t.trace_id) AS n FROM traces t WHERE t.project_id = ?`,
    )
    .bind(p.projectId)
    .all<{ trace_id: string; span_count: number; n: number }>();
  return results.filter((r) => r.span_count !== r.n || r.n === 0);
}

/** What every read route says about a trace: tree, export, search and the list. */
async function visible(p: Project, trace: string) {
  const [tree, exported, search, list] = await Promise.all([
    read(`/api/v1/traces/${trace}`, p.secretKey),
    read(`/api/v1/traces/${trace}/export?format=json`, p.secretKey),
    read(`/api/v1/traces?q=${word(trace)}`, p.secretKey),
    read("/api/v1/traces?limit=200", p.secretKey),
  ]);
  return {
    tree: tree.status,
    exported: exported.status,
    search: (search.body.traces as Array<{ trace_id: string }>).some((t) => t.trace_id === trace),
    listed: (list.body.traces as Array<{ trace_id: string }>).some((t) => t.trace_id === trace),
  };
}
const gone = { tree: 404, exported: 404, search: false, listed: false };
const there = { tree: 200, exported: 200, search: true, listed: true };

async function withRetention(days: number) {
  const p = await createProject("retention");
  await env.DB.prepare("UPDATE projects SET retention_days = ? WHERE id = ?").bind(days, p.projectId).run();
  return p;
}

describe("retention", () => {
  it("deletes traces whose last event is past the retention, and only those, with everything derived", async () => {
    const p = await withRetention(30);
    const cutoff = NOW - 30 * DAY_MS;
    const untouched = await createProject("no retention", p.shard);
    await deliver(p.projectId, [
      ...run("t-expired", cutoff - HOUR_MS),
      // Started before the cutoff, still going after it: kept whole until its last event expires.
      ...run("t-straddles", cutoff - 2 * 60_000).map((e, i) => (i === 2 ? { ...e, timestamp: cutoff + 60_000 } : e)),
      ...run("t-recent", NOW - DAY_MS),
    ]);
    await deliver(untouched.projectId, run("t-expired", cutoff - HOUR_MS));
    expect(await visible(p, "t-expired")).toEqual(there);
    const before = { fts: await allFts(p), otherFts: await ftsRows(untouched), rollups: await rollupCalls(p) };

    await runRetention(env, Date.now() + 10_000, NOW);

    expect(await events(p, "t-expired")).toBe(0);
    expect(await bodies(p, "t-expired")).toBe(0);
    expect(await visible(p, "t-expired")).toEqual(gone);
    expect(await events(p, "t-straddles")).toBe(3);
    expect(await bodies(p, "t-straddles")).toBe(1);
    expect(await visible(p, "t-straddles")).toEqual(there);
    expect(await events(p, "t-recent")).toBe(3);
    expect(await summariesMatchEvents(p)).toEqual([]);
    expect(await allFts(p)).toBe(before.fts - 1); // t-expired's index row (one per trace and write)
    // Cost rollups outlive events (LIFECYCLE_LIMITS.rollupRetentionDays): past spend stays visible.
    expect(await rollupCalls(p)).toBe(before.rollups);
    // The other project (same database, same old trace id, no retention) keeps everything.
    expect(await events(untouched, "t-expired")).toBe(3);
    expect(await bodies(untouched)).toBe(1);
    expect(await ftsRows(untouched)).toBe(before.otherFts);
    expect(await visible(untouched, "t-expired")).toEqual(there);

    // Rollups go once older than their own retention.
    await runRetention(env, Date.now() + 10_000, NOW + LIFECYCLE_LIMITS.rollupRetentionDays * DAY_MS);
    expect(await rollupCalls(p)).toBe(0);
    expect(await rollupCalls(untouched)).toBe(1);
  });

  it("resumes where a partial run stopped, summaries consistent in between", async () => {
    const p = await withRetention(7);
    const old = NOW - 8 * DAY_MS;
    // More events than one step deletes, spread over traces of several sizes.
    const wire = Array.from({ length: 60 }, (_, t) =>
      Array.from({ length: 1 + (t % 60) }, (_, i) =>
        makeEvent({ trace_id: `t-old-${t}`, timestamp: old - t * 1000 + i, body: { input: `step ${i}` } }),
      ),
    ).flat();
    await deliver(p.projectId, [...wire, ...run("t-new", NOW)]);
    expect(wire.length).toBeGreaterThan(LIFECYCLE_LIMITS.eventsPerStep);

    const first = await expireProject(env, { id: p.projectId, shard: p.shard, days: 7 }, NOW, 1);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(wire.length);
    expect(await events(p)).toBe(wire.length + 3 - first);
    expect(await summariesMatchEvents(p)).toEqual([]);

    let total = first;
    for (let run = 0; run < 10 && total < wire.length; run++)
      total += await expireProject(env, { id: p.projectId, shard: p.shard, days: 7 }, NOW, 1);
    expect(total).toBe(wire.length);
    expect(await events(p)).toBe(3);
    expect(await summariesMatchEvents(p)).toEqual([]);
    expect(await expireProject(env, { id: p.projectId, shard: p.shard, days: 7 }, NOW)).toBe(0);
  });

  it("is set in the API by admins, falls back to the instance default, and is audit-logged", async () => {
    const owner = await signUp("Retainer");
    const path = `/api/projects/${owner.project.id}`;
    const patch = (json: unknown, b = owner.browser) => b.request(path, { method: "PATCH", json });
    expect((await json<ProjectAnswer>(owner.browser.request(path))).project).toMatchObject({
      retention_days: null,
      effective_retention_days: null,
    });
    const res = await patch({ retention_days: 14 });
    expect(res.status).toBe(200);
    expect((await json<ProjectAnswer>(res)).project).toMatchObject({
      retention_days: 14,
      effective_retention_days: 14,
    });
    for (const bad of [{ retention_days: 0 }, { retention_days: 5000 }, { retention_days: "7" }, {}, { nope: 1 }]) {
      const r = await patch(bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect((await json<ErrorBody>(r)).error.code).toBe("invalid_request");
    }
    // Back to the default, which the hosted service sets (DEFAULT_RETENTION_DAYS).
    expect((await patch({ retention_days: null })).status).toBe(200);
    const hosted = browser(undefined, { DEFAULT_RETENTION_DAYS: "30" });
    hosted.cookie = owner.browser.cookie;
    expect((await json<ProjectAnswer>(hosted.request(path))).project).toMatchObject({
      retention_days: null,
      effective_retention_days: 30,
    });

    // A member may read but not change it.
    const invite = await owner.browser.request(`/api/orgs/${owner.org.id}/invites`, {
      method: "POST",
      json: { role: "member" },
    });
    const member = await signUp("Member");
    const { invite: token } = (await invite.json()) as { invite: { token: string } };
    await member.browser.request(`/api/invites/${token.token}/accept`, { method: "POST", json: {} });
    const refused = await patch({ retention_days: 1 }, member.browser);
    expect(refused.status).toBe(403);
    expect((await member.browser.request(`/api/orgs/${owner.org.id}/audit-log`)).status).toBe(403);

    const log = (await (await owner.browser.request(`/api/orgs/${owner.org.id}/audit-log`)).json()) as AuditLogAnswer;
    expect(log.entries.map((e) => [e.action, e.target])).toEqual([
      ["invite.created", null],
      ["project.retention_changed", "default"],
      ["project.retention_changed", "14"],
    ]);
    expect(log.entries[2]).toMatchObject({
      actor: `user:${owner.user.id}`,
      actor_email: owner.user.email,
      project_id: owner.project.id,
      details: { from: null, to: 14 },
    });
  });
});

describe("deletion on request", () => {
  it("deletes one trace from every route, search, export, R2 and the cost rollups; other traces stay", async () => {
    const p = await createProject("traces");
    await deliver(p.projectId, [...run("t-doomed", NOW), ...run("t-kept", NOW + 1000)]);
    expect(await rollupCalls(p)).toBe(2);
    const res = await fetchAs(p.secretKey, "/api/v1/traces/t-doomed", "DELETE");
    expect(res.status).toBe(200);
    const { deletion } = (await res.json()) as DeletionAnswer;
    expect(deletion).toMatchObject({ kind: "trace", target: "t-doomed", status: "done", events_deleted: 3 });
    expect(await visible(p, "t-doomed")).toEqual(gone);
    expect(await events(p, "t-doomed")).toBe(0);
    expect(await bodies(p, "t-doomed")).toBe(0);
    expect(await rollupCalls(p)).toBe(1);
    expect(await visible(p, "t-kept")).toEqual(there);
    expect((await read(deletion.status_url, p.secretKey)).body.deletion.status).toBe("done");
    // Gone is gone; ingest keys delete nothing.
    expect((await fetchAs(p.secretKey, "/api/v1/traces/t-doomed", "DELETE")).status).toBe(404);
    expect((await fetchAs(p.ingestKey, "/api/v1/traces/t-kept", "DELETE")).status).toBe(403);
    expect(await events(p, "t-kept")).toBe(3);
  });

  it("deletes an end user's traces and every event carrying their id, rebuilding shared traces; large ones finish later", async () => {
    const p = await createProject("users");
    const other = await createProject("same user id elsewhere", p.shard);
    // A trace listed under someone else (a support agent) with one event of the user's: only that one goes.
    const shared = run("t-shared", NOW, "u-zz-agent");
    shared[2] = { ...shared[2]!, context: { user_id: "u-forget-me" } };
    // More events than a request deletes before answering.
    const many = Array.from({ length: 60 }, (_, t) =>
      Array.from({ length: 100 }, () =>
        makeEvent({ trace_id: `t-user-${t}`, timestamp: NOW + t, context: { user_id: "u-forget-me" } }),
      ),
    ).flat();
    await deliver(p.projectId, [...shared, ...run("t-user", NOW, "u-forget-me"), ...many]);
    await deliver(other.projectId, run("t-user", NOW, "u-forget-me"));
    const total = many.length + 4;

    const res = await fetchAs(p.secretKey, "/api/v1/users/u-forget-me", "DELETE");
    expect(res.status).toBe(202);
    const { deletion } = (await res.json()) as DeletionAnswer;
    expect(deletion).toMatchObject({ kind: "user", target: "u-forget-me", status: "running" });
    expect(deletion.status_url).toBe(`/api/v1/deletions/${deletion.id}`);
    expect(deletion.events_deleted).toBeLessThan(total);
    expect(await summariesMatchEvents(p)).toEqual([]);

    await runMaintenance(env);
    const status = await read<DeletionAnswer>(deletion.status_url, p.secretKey);
    expect(status.body.deletion).toMatchObject({ status: "done", events_deleted: total });
    // Polling an unchanged deletion revalidates (it had no ETag).
    const tag = status.headers.get("ETag");
    expect(tag).toBeTruthy();
    expect((await read(deletion.status_url, p.secretKey, { "If-None-Match": tag! })).status).toBe(304);
    expect(await count(p, "SELECT count(*) AS n FROM events WHERE project_id = ? AND user_id = ?", "u-forget-me")).toBe(
      0,
    );
    // Their trace went whole, the tool call that didn't repeat the id too.
    expect(await events(p, "t-user")).toBe(0);
    expect(await bodies(p, "t-user")).toBe(0);
    expect((await read("/api/v1/users/u-forget-me", p.secretKey)).status).toBe(404);
    expect(await events(p, "t-shared")).toBe(2);
    expect(await summariesMatchEvents(p)).toEqual([]);
    expect((await read("/api/v1/traces/t-shared", p.secretKey)).body.trace.span_count).toBe(2);
    // The same user id in another project is another person's: untouched.
    expect(await events(other, "t-user")).toBe(3);
    expect(await bodies(other)).toBe(1);
  });

  it("deletes a project: keys refused at once, data gone after late writes could land, audit-logged", async () => {
    const owner = await signUp("Deleter");
    const shard = (await env.DB.prepare("SELECT shard FROM projects WHERE id = ?")
      .bind(owner.project.id)
      .first<{ shard: number }>())!.shard;
    const p: Project = { projectId: owner.project.id, shard, secretKey: owner.keys.secret, ingestKey: "" };
    const neighbour = await createProject("neighbour", shard);
    await deliver(p.projectId, [...run("t-a", NOW), ...run("t-b", NOW)]);
    await deliver(neighbour.projectId, run("t-a", NOW));

    const res = await owner.browser.request(`/api/projects/${p.projectId}`, { method: "DELETE" });
    expect(res.status).toBe(202);
    const { deletion } = (await res.json()) as DeletionAnswer;
    expect(deletion.status_url).toBe(`/api/orgs/${owner.org.id}/deletions/${deletion.id}`);
    expect((await read("/api/v1/traces", owner.keys.secret)).status).toBe(401);
    expect((await fetchAs(owner.keys.ingest, "/api/v1/events", "POST", { events: run("t-c", NOW) })).status).toBe(401);
    expect((await owner.browser.request(`/api/projects/${p.projectId}`)).status).toBe(404);

    // Events accepted just before may still be written for a while: the sweep waits that long, then finishes.
    await runMaintenance(env);
    expect((await owner.browser.request(deletion.status_url)).status).toBe(200);
    expect(
      ((await (await owner.browser.request(deletion.status_url)).json()) as DeletionAnswer).deletion.status,
    ).not.toBe("done");
    await env.DB.prepare("UPDATE jobs SET created_at = created_at - ? WHERE id = ?")
      .bind(LIFECYCLE_LIMITS.lateWritesMs, deletion.id)
      .run();
    await runMaintenance(env);
    const done = (await (await owner.browser.request(deletion.status_url)).json()) as DeletionAnswer;
    expect(done.deletion).toMatchObject({ status: "done", events_deleted: 6 });
    for (const table of ["events", "traces", "event_parts", "cost_hourly"])
      expect(await count(p, `SELECT count(*) AS n FROM ${table} WHERE project_id = ?`), table).toBe(0);
    expect(await bodies(p)).toBe(0);
    expect(await events(neighbour as Project)).toBe(3);
    expect(await bodies(neighbour as Project)).toBe(1);
    expect(await rollupCalls(neighbour as Project)).toBe(1);

    const log = (await (
      await owner.browser.request(`/api/orgs/${owner.org.id}/audit-log?project_id=${p.projectId}`)
    ).json()) as AuditLogAnswer;
    expect(log.entries.map((e) => e.action)).toEqual(["project.deleted", "project.deletion_requested"]);
    expect(log.entries[1]).toMatchObject({ actor: `user:${owner.user.id}`, details: { name: owner.project.name } });
    expect(log.entries[0]).toMatchObject({ actor: "system", details: { events_deleted: 6 } });
  });

  it("records who created and revoked keys, changed roles and removed members", async () => {
    const owner = await signUp("Keeper");
    const b = owner.browser;
    const created = await b.request(`/api/projects/${owner.project.id}/keys`, {
      method: "POST",
      json: { kind: "secret", name: "ci" },
    });
    const { key } = (await created.json()) as { key: { id: string; prefix: string } };
    const revoke = async () =>
      (
        (await (await b.request(`/api/projects/${owner.project.id}/keys/${key.id}`, { method: "DELETE" })).json()) as {
          key: { revoked_at: number };
        }
      ).key.revoked_at;
    const first = await revoke();
    // Revoking again changes nothing: the first time stands and the log has one entry (it moved and logged twice).
    expect(await revoke()).toBe(first);
    const invite = await b.request(`/api/orgs/${owner.org.id}/invites`, {
      method: "POST",
      json: { role: "viewer" },
    });
    const { invite: offered } = (await invite.json()) as { invite: { token: string } };
    const guest = await signUp("Guest");
    await guest.browser.request(`/api/invites/${offered.token}/accept`, { method: "POST", json: {} });
    await b.request(`/api/orgs/${owner.org.id}/members/${guest.user.id}`, { method: "PATCH", json: { role: "admin" } });
    await b.request(`/api/orgs/${owner.org.id}/members/${guest.user.id}`, { method: "DELETE" });

    const log = (await (await b.request(`/api/orgs/${owner.org.id}/audit-log`)).json()) as AuditLogAnswer;
    expect(log.entries.map((e) => [e.action, e.target])).toEqual([
      ["member.removed", guest.user.email],
      ["member.role_changed", guest.user.email],
      ["invite.created", null],
      ["key.revoked", `${key.prefix}…`],
      ["key.created", `${key.prefix}…`],
    ]);
    expect(log.entries[1]!.details).toMatchObject({ from: "viewer", to: "admin" });
    expect(log.entries.every((e) => e.actor === `user:${owner.user.id}` && e.actor_email === owner.user.email)).toBe(
      true,
    );
  });

  it("pages the audit log and keeps other orgs' admins out", async () => {
    const owner = await signUp("Auditor");
    for (const days of [1, 2, 3])
      await owner.browser.request(`/api/projects/${owner.project.id}`, {
        method: "PATCH",
        json: { retention_days: days },
      });
    const page = async (cursor?: string) =>
      (await (
        await owner.browser.request(`/api/orgs/${owner.org.id}/audit-log?limit=2${cursor ? `&cursor=${cursor}` : ""}`)
      ).json()) as AuditLogAnswer;
    const first = await page();
    const second = await page(first.next_cursor!);
    expect([...first.entries, ...second.entries].map((e) => e.target)).toEqual(["3", "2", "1"]);
    expect(second.next_cursor).toBeNull();
    const stranger = await signUp("Stranger");
    expect((await stranger.browser.request(`/api/orgs/${owner.org.id}/audit-log`)).status).toBe(404);
    expect((await owner.browser.request(`/api/orgs/${owner.org.id}/audit-log?cursor=nope`)).status).toBe(400);
  });
});

const json = async <T>(res: Response | Promise<Response>) => (await (await res).json()) as T;

function fetchAs(key: string, path: string, method: string, json?: unknown) {
  return SELF.fetch(`https://watchllm.test${path}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(json ? { "Content-Type": "application/json" } : {}) },
    body: json ? JSON.stringify(json) : undefined,
  });
}
