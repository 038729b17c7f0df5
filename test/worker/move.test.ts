// Moving a project to another data database (npm run db:move-project): every row arrives on the target through the
// consumer's own write, reads answer the same before and after the switch, events a stale consumer wrote to the
// source during the switch are caught up, the source is emptied of the project (its neighbours untouched), bodies
// stay readable, and every step can run twice.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { LIFECYCLE_LIMITS } from "../../contract/limits.ts";
import { jobs } from "../../src/db/schema.ts";
import { shardDatabase } from "../../src/db/shards.ts";
import { writeMessages } from "../../src/db/writes/events.ts";
import { ROLLUPS } from "../../src/db/writes/metrics-rollup.ts";
import { writeScores } from "../../src/db/writes/scores.ts";
import { validateEvents } from "../../src/ingest/validate.ts";
import { type MoveProgress, moveJob, moveJobStep } from "../../src/maintenance/move.ts";
import { runMaintenance } from "../../src/maintenance/run.ts";
import { validateScores } from "../../src/scores/validate.ts";
import { signUp } from "./account-fixtures.ts";
import { createProject, db, deliver, makeEvent, projectRows, read } from "./fixtures.ts";

const T0 = Date.parse("2026-11-20T10:00:00Z");
const OLD_HOUR = Date.parse("2026-01-05T08:00:00Z");

/** What the read API says about the project: every trace summary, costs, search, one tree and one large body. */
async function answers(key: string) {
  const list = await read("/api/v1/traces?limit=200&sort=cost", key);
  const costs = await read("/api/v1/costs?from=2026-01-01&to=2026-12-01&group_by=model", key);
  const search = await read("/api/v1/traces?q=moving", key);
  const tree = await read("/api/v1/traces/t-big", key);
  const big = await read(`/api/v1/traces/t-big/events/${tree.body.events[1].event_id}`, key);
  const strip = (t: Record<string, unknown>) => ({ ...t, updated_at: undefined });
  return {
    traces: list.body.traces.map(strip),
    totals: costs.body.totals,
    groups: costs.body.groups,
    search: search.body.traces.map((t: { trace_id: string }) => t.trace_id),
    tree: tree.body.events.map((e: { event_id: string; depth: number }) => [e.event_id, e.depth]),
    body: JSON.stringify(big.body.event.body),
  };
}

const jobOf = async (id: string) => (await db.select().from(jobs).where(eq(jobs.id, id)))[0]!;

describe("moving a project to another data database", () => {
  it("copies everything, switches reads, catches up late writes and empties the source", async () => {
    const owner = await signUp("Mover");
    const from = (await env.DB.prepare("SELECT shard FROM projects WHERE id = ?")
      .bind(owner.project.id)
      .first<number>("shard"))!;
    const to = 1 - from;
    const [source, target] = [shardDatabase(env, from), shardDatabase(env, to)];
    const neighbour = await createProject("neighbour", from);
    const p = owner.project.id;

    // More events than one step copies; a priced call with a body in R2; a rollup whose events are long gone.
    const many = Array.from({ length: 1_200 }, (_, i) =>
      makeEvent({ trace_id: `t-${i % 40}`, timestamp: T0 + i, body: { input: `moving step ${i}` } }),
    );
    const root = makeEvent({ trace_id: "t-big", name: "agent", timestamp: T0 });
    const call = makeEvent({
      trace_id: "t-big",
      parent_event_id: root.event_id,
      type: "model_response",
      model: "gpt-4o",
      provider: "openai",
      timestamp: T0 + 5,
      usage: { input_tokens: 2_000, output_tokens: 300 },
      body: { input: "moving a long prompt ".repeat(400), output: "done" },
    });
    await deliver(p, [...many, root, call]);
    await deliver(neighbour.projectId, many.slice(0, 10));
    await source
      .prepare(
        `INSERT INTO cost_hourly (project_id, hour, model, provider, calls, unpriced_calls, input_tokens, output_tokens,
          cached_input_tokens, cache_write_tokens, cost) VALUES (?, ?, 'gpt-4o', 'openai', 3, 0, 300, 30, 0, 0, 0.5)`,
      )
      .bind(p, OLD_HOUR)
      .run();
    // Langfuse-style parts (copied page by page, like events).
    await source.batch(
      many.slice(0, 30).map((e, i) =>
        source
          .prepare(
            `INSERT INTO event_parts (project_id, event_id, part_id, trace_id, rank, at, fields, received_at)
             VALUES (?, ?, ?, ?, 0, ?, '{}', ?)`,
          )
          .bind(p, e.event_id, `part-${i}`, e.trace_id, T0 + i, T0 + i),
      ),
    );
    const score = { trace_id: root.trace_id as string, event_id: root.event_id, name: "quality", value: 0.7 };
    const { scores } = await validateScores([score], { kind: "secret", id: "k" }, []);
    await writeScores(source, [{ project_id: p, received_at: Date.now(), events: [], scores }]);
    const before = await answers(owner.keys.secret);
    const sourceRows = await projectRows(source, p);
    const neighbourRows = await projectRows(source, neighbour.projectId);
    expect(before.traces).toHaveLength(41);
    expect(sourceRows.scores).toBe(1);

    const job = moveJob("mov_test", { project_id: p, org_id: owner.org.id, from, to, actor: "cli" });
    await db.insert(jobs).values(job);

    // Copy, step by step; each step run twice (as two overlapping cron runs would) changes nothing more.
    for (let i = 0; i < 10; i++) {
      const state = await jobOf(job.id);
      if ((JSON.parse(state.progress) as MoveProgress).phase !== "copy") break;
      expect(await moveJobStep(env, state)).toBe(false);
      expect(await moveJobStep(env, state)).toBe(false);
    }
    const switched = JSON.parse((await jobOf(job.id)).progress) as MoveProgress;
    expect(switched.phase).toBe("wait");
    expect(await env.DB.prepare("SELECT shard FROM projects WHERE id = ?").bind(p).first<number>("shard")).toBe(to);
    expect(await projectRows(target, p)).toEqual(sourceRows);
    expect(await answers(owner.keys.secret)).toEqual(before);
    expect(await moveJobStep(env, await jobOf(job.id))).toBe("later");

    // A consumer still holding the old placement writes one more event to the source.
    const late = makeEvent({ trace_id: "t-late", timestamp: T0 + 99_999, body: { input: "moving late" } });
    await writeMessages(source, [{ project_id: p, received_at: Date.now(), events: validateEvents([late]).events }]);

    // The wait is over: the scheduled handler catches up and cleans.
    await env.DB.prepare("UPDATE jobs SET progress = json_set(progress, '$.switched_at', ?) WHERE id = ?")
      .bind(Date.now() - LIFECYCLE_LIMITS.lateWritesMs - 1, job.id)
      .run();
    await runMaintenance(env);
    expect((await jobOf(job.id)).status).toBe("done");
    expect(await projectRows(source, p)).toEqual({
      events: 0,
      traces: 0,
      cost_hourly: 0,
      event_parts: 0,
      scores: 0,
      search: 0,
    });
    for (const table of ROLLUPS.map((r) => r.table))
      expect(await source.prepare(`SELECT count(*) AS n FROM ${table} WHERE project_id = ?`).bind(p).first("n")).toBe(
        0,
      );
    const counted = "SELECT sum(count) AS n FROM metrics_hourly WHERE project_id = ?";
    expect(await target.prepare(counted).bind(p).first("n")).toBe(sourceRows.events! + 1);
    expect(await projectRows(target, p)).toEqual({
      ...sourceRows,
      events: sourceRows.events! + 1,
      traces: sourceRows.traces! + 1,
      search: sourceRows.search! + 1,
    });
    expect(await projectRows(source, neighbour.projectId)).toEqual(neighbourRows);
    const after = await answers(owner.keys.secret);
    expect(after.traces.filter((t: { trace_id: string }) => t.trace_id !== "t-late")).toEqual(before.traces);
    expect(after.search).toContain("t-late");
    expect({ ...after, traces: undefined, search: undefined }).toEqual({
      ...before,
      traces: undefined,
      search: undefined,
    });
    const audit = await env.DB.prepare("SELECT action, target FROM audit_log WHERE project_id = ?").bind(p).first();
    expect(audit).toEqual({ action: "project.moved", target: String(to) });
  });
});
