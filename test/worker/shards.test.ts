// More than one D1: projects are placed on the least loaded data database, every row of a project's data lives on
// that database only, reads follow the placement, org-wide reports add the shards up, and an instance upgraded from
// a single database keeps serving what it stored before.
import { applyD1Migrations, createExecutionContext, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { leastLoadedShard } from "../../src/accounts/placement.ts";
import { keyRow } from "../../src/auth/keys.ts";
import { controlDb } from "../../src/db/client.ts";
import { dataDatabases } from "../../src/db/shards.ts";
import { writeMessages } from "../../src/db/writes/events.ts";
import worker from "../../src/index.ts";
import { validateEvents } from "../../src/ingest/validate.ts";
import { signUp } from "./account-fixtures.ts";
import { deliver, eventColumnsOf, projectRows, read } from "./fixtures.ts";

const T0 = Date.parse("2026-11-20T10:00:00Z");
const call = (id: string, model = "gpt-4o", extra: Record<string, unknown> = {}) => ({
  event_id: id,
  trace_id: `trace-${id}`,
  type: "model_response",
  name: "chat",
  model,
  provider: "openai",
  timestamp: T0,
  usage: { input_tokens: 1_000, output_tokens: 100 },
  body: { input: `question ${id}` },
  ...extra,
});

const shardOf = async (projectId: string) =>
  (await env.DB.prepare("SELECT shard FROM projects WHERE id = ?").bind(projectId).first<number>("shard"))!;

describe("data databases", () => {
  it("runs the tests with two data databases, the first being the control-plane database", async () => {
    expect(dataDatabases(env)).toHaveLength(2);
    const marker = `marker-${crypto.randomUUID()}`;
    await env.DB.prepare("INSERT INTO orgs (id, name) VALUES (?, ?)").bind(marker, marker).run();
    expect(await env.DATA_0.prepare("SELECT name FROM orgs WHERE id = ?").bind(marker).first("name")).toBe(marker);
    expect(await env.DATA_1.prepare("SELECT name FROM orgs WHERE id = ?").bind(marker).first("name")).toBeNull();
  });

  it("places each new project on the data database holding the fewest projects", async () => {
    const placed: number[] = [];
    for (let i = 0; i < 4; i++) {
      const expected = await leastLoadedShard(controlDb(env.DB), 2);
      const { project } = await signUp(`Placed ${i}`);
      placed.push(await shardOf(project.id));
      expect(placed.at(-1)).toBe(expected);
    }
    expect(new Set(placed)).toEqual(new Set([0, 1]));
    const { n0, n1 } = (await env.DB.prepare("SELECT sum(shard = 0) AS n0, sum(shard = 1) AS n1 FROM projects").first<{
      n0: number;
      n1: number;
    }>())!;
    expect(Math.abs(n0 - n1)).toBeLessThanOrEqual(1);
  });

  it("keeps every row of a project's data on its own database and reads it from there", async () => {
    const a = await signUp("Shard A");
    const b = await signUp("Shard B");
    const [sa, sb] = [await shardOf(a.project.id), await shardOf(b.project.id)];
    expect(sa).not.toBe(sb);
    await deliver(a.project.id, [call("a1"), call("a2", "claude-sonnet-4-5")]);
    await deliver(b.project.id, [call("b1")]);

    const shards = dataDatabases(env);
    const onOwn = await projectRows(shards[sa]!, a.project.id);
    expect(onOwn).toMatchObject({ events: 2, traces: 2, search: 2 });
    expect(onOwn.cost_hourly).toBeGreaterThan(0);
    for (const count of Object.values(await projectRows(shards[sb]!, a.project.id))) expect(count).toBe(0);
    for (const count of Object.values(await projectRows(shards[sa]!, b.project.id))) expect(count).toBe(0);

    // Every read route answers from the project's own database: list, detail, search, costs.
    const list = await read<{ traces: Array<{ trace_id: string }> }>("/api/v1/traces", a.keys.secret);
    expect(list.body.traces.map((t) => t.trace_id).sort()).toEqual(["trace-a1", "trace-a2"]);
    const one = await read<{ events: Array<{ event_id: string }> }>("/api/v1/traces/trace-b1", b.keys.secret);
    expect(one.body.events.map((e) => e.event_id)).toEqual(["b1"]);
    expect((await read("/api/v1/traces/trace-b1", a.keys.secret)).status).toBe(404);
    const found = await read<{ traces: Array<{ trace_id: string }> }>("/api/v1/traces?q=question", b.keys.secret);
    expect(found.body.traces.map((t) => t.trace_id)).toEqual(["trace-b1"]);
    const costs = await read<{ totals: { calls: number } }>(
      `/api/v1/costs?from=${T0 - 3_600_000}&to=${T0 + 3_600_000}`,
      a.keys.secret,
    );
    expect(costs.body.totals.calls).toBe(2);
  });

  it("adds up an org's projects on different databases in the org cost report", async () => {
    const owner = await signUp("Org on two shards");
    const res = await owner.browser.request(`/api/orgs/${owner.org.id}/projects`, {
      method: "POST",
      json: { name: "second" },
    });
    const second = ((await res.json()) as { project: { id: string } }).project;
    expect(await shardOf(second.id)).not.toBe(await shardOf(owner.project.id));
    await deliver(owner.project.id, [call("o1"), call("o2", "claude-sonnet-4-5")]);
    await deliver(second.id, [call("s1"), call("s2"), call("s3", "mystery-model")]);

    const report = (await (
      await owner.browser.request(
        `/api/orgs/${owner.org.id}/costs?from=${T0 - 3_600_000}&to=${T0 + 3_600_000}&group_by=model`,
      )
    ).json()) as {
      totals: { calls: number; input_tokens: number; unpriced_calls: number };
      groups: Array<{ key: string; calls: number }>;
      unknown_models: Array<{ model: string; calls: number }>;
    };
    expect(report.totals).toMatchObject({ calls: 5, input_tokens: 5_000, unpriced_calls: 1 });
    expect(Object.fromEntries(report.groups.map((g) => [g.key, g.calls]))).toEqual({
      "gpt-4o": 3,
      "claude-sonnet-4-5": 1,
      "mystery-model": 1,
    });
    expect(report.unknown_models).toEqual([expect.objectContaining({ model: "mystery-model", calls: 1 })]);
    const byProject = (await (
      await owner.browser.request(
        `/api/orgs/${owner.org.id}/costs?from=${T0 - 3_600_000}&to=${T0 + 3_600_000}&group_by=project`,
      )
    ).json()) as { groups: Array<{ key: string; calls: number }> };
    expect(Object.fromEntries(byProject.groups.map((g) => [g.key, g.calls]))).toEqual({
      [owner.project.id]: 2,
      [second.id]: 3,
    });
  });

  it("serves an instance upgraded from one database: its projects stay there, new ones fill the added database", async () => {
    // The release before sharding shipped migrations 0000–0010 and kept everything in DB.
    const old = env.UPGRADE_DB;
    await applyD1Migrations(
      old,
      env.TEST_MIGRATIONS.filter((m) => Number(m.name.slice(0, 4)) <= 10),
    );
    const key = "wl_secret_upgrade_test_key_0000000000";
    const k = await keyRow("prj_before", "secret", key, "old key", "key_before");
    await old.batch([
      old.prepare("INSERT INTO orgs (id, name) VALUES ('org_before', 'Before')"),
      old.prepare("INSERT INTO projects (id, org_id, name) VALUES ('prj_before', 'org_before', 'before')"),
      old
        .prepare("INSERT INTO api_keys (id, project_id, kind, name, key_hash, prefix) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(k.id, k.projectId, k.kind, k.name, k.keyHash, k.prefix),
    ]);
    const { events } = validateEvents([call("before-1"), call("before-2")]);
    await writeMessages(
      old,
      [{ project_id: "prj_before", received_at: 1, events }],
      Date.now(),
      await eventColumnsOf(old),
    );

    await applyD1Migrations(old, env.TEST_MIGRATIONS);
    // wrangler.toml after the upgrade: DATA_0 names the same database as DB, DATA_1 is new and empty.
    const upgraded = { ...env, DB: old, DATA_0: old, DATA_1: env.UPGRADE_DATA_1 };
    await applyD1Migrations(env.UPGRADE_DATA_1, env.TEST_MIGRATIONS);
    const res = await worker.fetch(
      new Request("https://watchllm.test/api/v1/traces/trace-before-1", {
        headers: { Authorization: `Bearer ${key}` },
      }),
      upgraded,
      createExecutionContext(),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { events: Array<{ event_id: string }> }).events.map((e) => e.event_id)).toEqual([
      "before-1",
    ]);
    expect(await old.prepare("SELECT shard FROM projects WHERE id = 'prj_before'").first("shard")).toBe(0);
    expect(await leastLoadedShard(controlDb(old), dataDatabases(upgraded as Env).length)).toBe(1);
  });
});
