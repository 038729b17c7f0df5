// The fair share of the event queue, with the real local Queues and Rate Limiting binding: a project's requests past
// its share go to the bulk queue (still 202, nothing lost), the same consumer drains it into the same tables, and
// another project's requests stay on the main queue meanwhile.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { QueueMessage } from "../../contract/queue.ts";
import { enqueueEvents, type Outbox } from "../../src/ingest/enqueue.ts";
import { validateEvents } from "../../src/ingest/validate.ts";
import { createProject, makeEvent, storedEvents, waitFor } from "./fixtures.ts";

/** A real queue, counting the sends made through it (so the test sees which lane a request took). */
function counted(queue: Queue) {
  const sent = { batches: 0 };
  const wrapped = {
    send: (body: QueueMessage, options?: QueueSendOptions) => queue.send(body, options),
    sendBatch: (messages: Iterable<MessageSendRequest<QueueMessage>>, options?: QueueSendBatchOptions) => {
      sent.batches++;
      return queue.sendBatch(messages, options);
    },
  } as unknown as Queue;
  return { queue: wrapped, sent };
}

const wire = (n: number) => {
  const { events } = validateEvents(Array.from({ length: n }, () => makeEvent()));
  return events;
};

describe("fair share of the event queue", () => {
  it("sends a project past its share to the bulk queue, stores everything, and keeps another project on the main queue", async () => {
    const flood = await createProject("flood");
    const steady = await createProject("steady");
    const main = counted(env.EVENTS_QUEUE);
    const bulk = counted(env.BULK_QUEUE);
    // TEST_TIGHT_RATE: 3 requests per 60 s per key (test/worker/vitest.config.ts) stands in for FAIR_SHARE_LIMIT.
    const out: Outbox = {
      EVENTS_QUEUE: main.queue,
      BULK_QUEUE: bulk.queue,
      BODIES: env.BODIES,
      FAIR_SHARE_LIMIT: env.TEST_TIGHT_RATE,
    };
    for (let i = 0; i < 5; i++) await enqueueEvents(out, flood.projectId, wire(4));
    expect({ main: main.sent.batches, bulk: bulk.sent.batches }).toEqual({ main: 3, bulk: 2 });

    await enqueueEvents(out, steady.projectId, wire(4));
    expect({ main: main.sent.batches, bulk: bulk.sent.batches }).toEqual({ main: 4, bulk: 2 });

    // The bulk queue's consumer is the events consumer: all 20 flood events and the steady project's 4 are stored.
    await waitFor(
      () => storedEvents(flood.projectId),
      (rows) => rows.length === 20,
      { what: "the flood's 20 events" },
    );
    expect(
      await waitFor(
        () => storedEvents(steady.projectId),
        (rows) => rows.length === 4,
      ),
    ).toHaveLength(4);
  });

  it("keeps a request on the main queue when there is no bulk queue or the limiter fails", async () => {
    const project = await createProject("no-bulk");
    const main = counted(env.EVENTS_QUEUE);
    const failing = { limit: () => Promise.reject(new Error("limiter down")) } as unknown as RateLimit;
    const bulk = counted(env.BULK_QUEUE);
    await enqueueEvents({ EVENTS_QUEUE: main.queue, BODIES: env.BODIES }, project.projectId, wire(1));
    await enqueueEvents(
      { EVENTS_QUEUE: main.queue, BULK_QUEUE: bulk.queue, BODIES: env.BODIES, FAIR_SHARE_LIMIT: failing },
      project.projectId,
      wire(1),
    );
    expect({ main: main.sent.batches, bulk: bulk.sent.batches }).toEqual({ main: 2, bulk: 0 });
    await waitFor(
      () => storedEvents(project.projectId),
      (rows) => rows.length === 2,
    );
  });
});
