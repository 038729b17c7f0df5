import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.ts";
import { backlog } from "../../src/ingest/backlog.ts";
import { validateEvents } from "../../src/ingest/validate.ts";
import { createProject, dataOf, makeEvent, storedEvents, waitFor } from "./fixtures.ts";

describe("queue consumer", () => {
  it("stores the good messages of a batch and retries only the poison one", async () => {
    const p = await createProject();
    const { events } = validateEvents([makeEvent(), makeEvent()]);
    const batch = createMessageBatch("watchllm-events", [
      {
        id: "good-1",
        timestamp: Date.now(),
        attempts: 1,
        body: { project_id: p.projectId, received_at: 1, events: [events[0]] },
      },
      { id: "poison", timestamp: Date.now(), attempts: 1, body: { garbage: true } },
      {
        id: "good-2",
        timestamp: Date.now(),
        attempts: 1,
        body: { project_id: p.projectId, received_at: 1, events: [events[1]] },
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(["good-1", "good-2"]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["poison"]);
    expect(await storedEvents(p.projectId)).toHaveLength(2);
  });

  it("sends a poison message through its retries to the dead-letter queue, where it is kept", async () => {
    const marker = crypto.randomUUID();
    await env.EVENTS_QUEUE.send({ garbage: marker });
    const row = await waitFor(
      () =>
        env.DB.prepare("SELECT queue, attempts, body FROM dead_letters WHERE body LIKE ?").bind(`%${marker}%`).first(),
      (r) => r !== null,
      { timeoutMs: 25_000 },
    );
    expect(row).toMatchObject({ queue: "watchllm-events-dlq" });
  });

  it("keeps dead letters idempotently by message id", async () => {
    const body = { project_id: "prj_x", received_at: 1, events: [] };
    for (let i = 0; i < 2; i++) {
      const batch = createMessageBatch("watchllm-events-dlq", [
        { id: "dead-1", timestamp: Date.now(), attempts: 6, body },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      expect((await getQueueResult(batch, ctx)).ackAll).toBe(true);
    }
    const { results } = await env.DB.prepare("SELECT * FROM dead_letters WHERE id = 'dead-1'").all();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ project_id: "prj_x", attempts: 6 });
  });

  it("a retried delivery of an already-stored message changes nothing", async () => {
    const p = await createProject();
    const { events } = validateEvents([makeEvent({ trace_id: "same" }), makeEvent({ trace_id: "same" })]);
    const body = { project_id: p.projectId, received_at: 1, events };
    for (let attempt = 1; attempt <= 3; attempt++) {
      const batch = createMessageBatch("watchllm-events", [
        { id: "again", timestamp: Date.now(), attempts: attempt, body },
      ]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
    }
    expect(await storedEvents(p.projectId)).toHaveLength(2);
    const summary = await (await dataOf(p.projectId))
      .prepare("SELECT span_count FROM traces WHERE project_id = ?")
      .bind(p.projectId)
      .first();
    expect(summary).toEqual({ span_count: 2 });
  });

  it("counts the dead-lettered parts of a message off the local backlog, not only its events", async () => {
    const start = backlog.pending;
    backlog.sent(3);
    const body = { project_id: "prj_gone", received_at: 1, events: [{}], parts: [{}, {}] };
    const batch = createMessageBatch("watchllm-events-dlq", [
      { id: "dead-parts", timestamp: Date.now(), attempts: 6, body },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect(backlog.pending).toBe(start);
  });
});
