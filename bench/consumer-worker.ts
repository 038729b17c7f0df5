// Bench-only Worker. POST /consume with { batches: QueueMessage[][] }: hands each batch to the real queue handler
// as a queue delivery would and answers with the time spent inside it (performance.now advances across I/O).

import type { QueueMessage } from "../contract/queue.ts";
import { handleQueue } from "../src/ingest/consume.ts";

function deliver(batch: QueueMessage[], offset: number): MessageBatch<unknown> {
  let retried = 0;
  const messages = batch.map((body, i) => ({
    id: `m${offset + i}`,
    timestamp: new Date(),
    attempts: 1,
    body,
    ack() {},
    retry() {
      retried += 1;
    },
  }));
  return {
    queue: "watchllm-events",
    messages,
    ackAll() {},
    retryAll() {
      retried += messages.length;
    },
    get retried() {
      return retried;
    },
  } as unknown as MessageBatch<unknown>;
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext) {
    if (request.method !== "POST") return new Response("ready");
    const { batches } = (await request.json()) as { batches: QueueMessage[][] };
    let ms = 0;
    let offset = 0;
    for (const messages of batches) {
      const batch = deliver(messages, offset);
      offset += messages.length;
      const start = performance.now();
      await handleQueue(batch, env, ctx);
      ms += performance.now() - start;
      if ((batch as unknown as { retried: number }).retried)
        return Response.json({ error: "consumer retried messages" }, { status: 500 });
    }
    return Response.json({ ms });
  },
};
