// Bench-only Worker. POST /consume with { batches: QueueMessage[][] }: hands each batch to the real queue handler
// as a queue delivery would and answers with the time spent inside it (performance.now advances across I/O) and the
// rows D1 reported per statement (bench/d1-meter.ts).
// POST /expire with { project, shard, days, now }: runs the real retention over that project until nothing is left to
// expire, and answers with the events deleted, the time and the rows the same way.
// GET /bodies: the number and total size of the objects in the BODIES bucket (what offloading stored in R2).
// POST /alerts with { at }: runs the real alert evaluation of minute `at` (bench:alerts) and answers with its report,
// the time and the rows the same way.

import type { QueueMessage } from "../contract/queue.ts";
import { evaluateAlerts } from "../src/alerts/evaluate.ts";
import { handleQueue } from "../src/ingest/consume.ts";
import { expireProject } from "../src/maintenance/retention.ts";
import { meteredEnv } from "./d1-meter.ts";

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

async function bucketSize(bucket: R2Bucket) {
  let objects = 0;
  let bytes = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ cursor, limit: 1000 });
    objects += page.objects.length;
    for (const o of page.objects) bytes += o.size;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return { objects, bytes };
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext) {
    const { pathname } = new URL(request.url);
    if (pathname === "/bodies") return Response.json(await bucketSize(env.BODIES));
    if (request.method !== "POST") return new Response("ready");
    // The rollup reads (raw()) metered through all(): their rows read are bench:alerts' figure.
    const metered = meteredEnv(env, (sql) => /\bFROM \(?(user_)?metrics_/.test(sql));
    if (pathname === "/alerts") {
      const { at } = (await request.json()) as { at: number };
      const start = performance.now();
      const report = await evaluateAlerts(metered.env as never, at, 600_000);
      return Response.json({ report, ms: performance.now() - start, meters: metered.meters });
    }
    if (pathname === "/expire") {
      const project = (await request.json()) as { project: string; shard: number; days: number; now: number };
      const start = performance.now();
      const placed = { id: project.project, shard: project.shard, days: project.days };
      let deleted = 0;
      let n: number;
      do {
        n = await expireProject(metered.env, placed, project.now);
        deleted += n;
      } while (n > 0);
      return Response.json({ deleted, ms: performance.now() - start, meters: metered.meters });
    }
    const { batches } = (await request.json()) as { batches: QueueMessage[][] };
    let ms = 0;
    let offset = 0;
    for (const messages of batches) {
      const batch = deliver(messages, offset);
      offset += messages.length;
      const start = performance.now();
      await handleQueue(batch, metered.env, ctx);
      ms += performance.now() - start;
      if ((batch as unknown as { retried: number }).retried)
        return Response.json({ error: "consumer retried messages" }, { status: 500 });
    }
    return Response.json({ ms, meters: metered.meters });
  },
};
