// Background jobs fail safely: a step that throws is recorded on its job (tried again after a backoff, `failed` after
// JOB_LIMITS.maxAttempts with the error) and the scheduled run goes on to the jobs behind it and to retention; a
// failed deletion shows why in its status route and resumes where it stopped when retried; event parts that never
// became an event are swept by age, the others kept.
import { env, SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type DeletionAnswer, deletionAnswer } from "../../contract/data.ts";
import { JOB_LIMITS } from "../../contract/jobs.ts";
import { jobs } from "../../src/db/schema.ts";
import { shardDatabase } from "../../src/db/shards.ts";
import { DAY_MS } from "../../src/lib/time.ts";
import { eraseJob } from "../../src/maintenance/erase.ts";
import { PARTS_SWEEP } from "../../src/maintenance/parts.ts";
import { runMaintenance } from "../../src/maintenance/run.ts";
import { createProject, db, deliver, makeEvent, read } from "./fixtures.ts";

type Project = Awaited<ReturnType<typeof createProject>>;

const jobOf = async (id: string) => (await db.select().from(jobs).where(eq(jobs.id, id)))[0]!;
const eventsOf = async (p: Project, trace: string) =>
  (await shardDatabase(env, p.shard)
    .prepare("SELECT count(*) AS n FROM events WHERE project_id = ? AND trace_id = ?")
    .bind(p.projectId, trace)
    .first<number>("n"))!;
/** The wait of a failed attempt is over (as if its backoff had passed). */
const backoffOver = (id: string) => db.update(jobs).set({ retryAt: 0 }).where(eq(jobs.id, id));
/** A trace deletion queued for the scheduled handler (as a request's inline steps leave one that is not done). */
async function queueDeletion(p: Project, trace: string, shard = p.shard) {
  const row = eraseJob({
    kind: "trace",
    project_id: p.projectId,
    org_id: p.orgId,
    shard,
    target: trace,
    actor: "test",
  });
  await db.insert(jobs).values(row);
  return row.id;
}
const post = (path: string, key: string) =>
  SELF.fetch(`https://watchllm.test${path}`, { method: "POST", headers: { Authorization: `Bearer ${key}` } });

describe("background jobs", () => {
  it("record a step that throws and go on to the deletion queued after it and to retention", async () => {
    const p = await createProject("jobs");
    await env.DB.prepare("UPDATE projects SET retention_days = 1 WHERE id = ?").bind(p.projectId).run();
    const now = Date.now();
    await deliver(p.projectId, [
      makeEvent({ trace_id: "t-broken", timestamp: now - 60_000 }),
      makeEvent({ trace_id: "t-queued", timestamp: now - 60_000 }),
      makeEvent({ trace_id: "t-expired", timestamp: now - 3 * DAY_MS }),
    ]);
    // A deletion whose every step throws (it names a data database this instance does not have), then a good one.
    const broken = await queueDeletion(p, "t-broken", 99);
    const queued = await queueDeletion(p, "t-queued");

    await runMaintenance(env);

    const failing = await jobOf(broken);
    expect(failing).toMatchObject({ status: "pending", attempts: 1 });
    expect(failing.error).toContain("no DATA_99 binding");
    expect(failing.retryAt).toBeGreaterThan(now);
    expect((await jobOf(queued)).status).toBe("done");
    expect(await eventsOf(p, "t-queued")).toBe(0);
    expect(await eventsOf(p, "t-expired")).toBe(0);
    expect(await eventsOf(p, "t-broken")).toBe(1);

    // Within its backoff, the next run leaves it alone.
    await runMaintenance(env);
    expect((await jobOf(broken)).attempts).toBe(1);
  });

  it("fail a job after its attempts with the reason, shown by the status route, and resume it on retry", async () => {
    const p = await createProject("jobs");
    await deliver(
      p.projectId,
      Array.from({ length: 3 }, () => makeEvent({ trace_id: "t-gone", timestamp: Date.now() })),
    );
    const id = await queueDeletion(p, "t-gone", 99);
    // Retrying a deletion that has not failed is refused.
    expect((await post(`/api/v1/deletions/${id}/retry`, p.secretKey)).status).toBe(409);

    for (let attempt = 1; attempt <= JOB_LIMITS.maxAttempts; attempt++) {
      await backoffOver(id);
      await runMaintenance(env);
      expect((await jobOf(id)).attempts).toBe(attempt);
    }
    const status = await read<DeletionAnswer>(`/api/v1/deletions/${id}`, p.secretKey);
    expect(status.body.deletion).toMatchObject({ status: "failed", events_deleted: 0 });
    expect(status.body.deletion.error).toContain("no DATA_99 binding");
    expect(status.body.deletion.finished_at).not.toBeNull();
    // A failed job is not run again by itself.
    await backoffOver(id);
    await runMaintenance(env);
    expect((await jobOf(id)).attempts).toBe(JOB_LIMITS.maxAttempts);
    expect(await eventsOf(p, "t-gone")).toBe(3);

    // The cause fixed, a retry resumes it: done within the request, audit-logged.
    await env.DB.prepare("UPDATE jobs SET params = json_set(params, '$.shard', ?) WHERE id = ?")
      .bind(p.shard, id)
      .run();
    const retried = await post(`/api/v1/deletions/${id}/retry`, p.secretKey);
    expect(retried.status).toBe(200);
    // The answer is the contract's.
    expect(deletionAnswer.parse(await retried.json()).deletion).toMatchObject({
      status: "done",
      events_deleted: 3,
      error: null,
    });
    expect(await eventsOf(p, "t-gone")).toBe(0);
    const audit = await env.DB.prepare("SELECT action, details FROM audit_log WHERE project_id = ? AND action LIKE ?")
      .bind(p.projectId, "%retried")
      .first<{ action: string; details: string }>();
    expect(audit?.action).toBe("trace.deletion_retried");
    expect(JSON.parse(audit!.details).error).toContain("no DATA_99 binding");
    // Another project's key can't see or retry it.
    const other = await createProject("outsider");
    expect((await post(`/api/v1/deletions/${id}/retry`, other.secretKey)).status).toBe(404);
  });

  it("fail a job whose params don't fit its kind, with the schema's complaint", async () => {
    const p = await createProject("jobs");
    const id = await queueDeletion(p, "t-any");
    await env.DB.prepare("UPDATE jobs SET params = json_set(params, '$.shard', 'one') WHERE id = ?").bind(id).run();
    await runMaintenance(env);
    const job = await jobOf(id);
    expect(job.attempts).toBe(1);
    expect(job.error).toMatch(/params does not fit.*shard/s);
  });

  it("sweep event parts that never became an event once old enough, and keep the others", async () => {
    const p = await createProject("parts");
    const data = shardDatabase(env, p.shard);
    const stored = makeEvent({ trace_id: "t-parts", timestamp: Date.now() });
    await deliver(p.projectId, [stored]);
    const old = Date.now() - JOB_LIMITS.orphanedPartsMs - DAY_MS;
    const part = (event: string, receivedAt: number) =>
      data
        .prepare(
          `INSERT INTO event_parts (project_id, event_id, part_id, trace_id, rank, at, fields, received_at)
           VALUES (?, ?, ?, 't-parts', 0, 0, '{}', ?)`,
        )
        .bind(p.projectId, event, `${event}-part`, receivedAt);
    await data.batch([part("orphan-old", old), part("orphan-young", Date.now()), part(stored.event_id, old)]);

    await runMaintenance(env);

    const { results } = await data
      .prepare("SELECT event_id FROM event_parts WHERE project_id = ? ORDER BY event_id")
      .bind(p.projectId)
      .all<{ event_id: string }>();
    expect(results.map((r) => r.event_id).sort()).toEqual(["orphan-young", stored.event_id].sort());
    const sweep = await data.prepare("SELECT status, progress FROM jobs WHERE id = ?").bind(PARTS_SWEEP).first();
    expect(sweep).toMatchObject({ status: "running" });
  });
});
