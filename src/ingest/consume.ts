// The queue consumer: writes all good messages of a batch in one D1 transaction; if that fails, writes them one by
// one so a message that can't be written (a poison message) is retried alone and the rest are stored.
import { type QueueMessage, queueMessage } from "../../contract/queue.ts";
import { priceQueuedEvents } from "../costs/enrich.ts";
import { database } from "../db/client.ts";
import { deadLetters } from "../db/schema.ts";
import { writeMessages } from "../db/writes/events.ts";
import type { Bindings } from "../env.ts";

type Parsed = { message: Message<unknown>; body: QueueMessage };

async function writeEach(d1: D1Database, parsed: Parsed[]) {
  for (const { message, body } of parsed) {
    try {
      await writeMessages(d1, [body]);
      message.ack();
    } catch (err) {
      console.error("watchllm: message write failed, will retry", message.id, err);
      message.retry();
    }
  }
}

async function consumeEvents(batch: MessageBatch<unknown>, env: Bindings) {
  const parsed: Parsed[] = [];
  for (const message of batch.messages) {
    const result = queueMessage.safeParse(message.body);
    if (result.success) parsed.push({ message, body: result.data });
    else {
      console.error("watchllm: unparseable queue message, will retry then dead-letter", message.id);
      message.retry();
    }
  }
  if (!parsed.length) return;
  // Pricing reads D1; if that fails the whole batch is retried, before anything is written.
  await priceQueuedEvents(
    database(env.DB),
    parsed.map((p) => p.body),
  );
  try {
    await writeMessages(
      env.DB,
      parsed.map((p) => p.body),
    );
    for (const { message } of parsed) message.ack();
  } catch (err) {
    console.error("watchllm: batch write failed, isolating messages", err);
    await writeEach(env.DB, parsed);
  }
}

const MAX_DEAD_LETTER_CHARS = 1_000_000;

/** Keeps dead-lettered messages in D1 (idempotent by message id) so operators can inspect or replay them. */
async function storeDeadLetters(batch: MessageBatch<unknown>, env: Bindings) {
  const rows = batch.messages.map((message) => {
    const projectId = (message.body as { project_id?: unknown } | null)?.project_id;
    return {
      id: message.id,
      queue: batch.queue,
      projectId: typeof projectId === "string" ? projectId : null,
      body: (JSON.stringify(message.body) ?? "null").slice(0, MAX_DEAD_LETTER_CHARS),
      attempts: message.attempts,
      receivedAt: Date.now(),
    };
  });
  const db = database(env.DB);
  await db.batch([
    db.insert(deadLetters).values(rows[0]!).onConflictDoNothing(),
    ...rows.slice(1).map((row) => db.insert(deadLetters).values(row).onConflictDoNothing()),
  ]);
  batch.ackAll();
}

export const handleQueue: ExportedHandlerQueueHandler<Bindings> = (batch, env) =>
  batch.queue.endsWith("-dlq") ? storeDeadLetters(batch, env) : consumeEvents(batch, env);
