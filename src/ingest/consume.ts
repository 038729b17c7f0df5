// The queue consumer. Messages are grouped by their project's data database (its placement, from the control plane);
// each group is written in one D1 transaction; if that fails, message by message, so a message that can't be written is
// retried alone and the rest are stored; and a message that fails alone is written event by event, so an event that
// can't be stored is kept as a dead letter instead of taking its siblings. Every per-event step (large bodies to R2
// included) runs inside that isolation, so nothing one event or project carries can fail another's writes. Events that arrive in parts (Langfuse's
// create/update items) are kept part by part and stored as their fold.
import { type QueueMessage, queueMessage } from "../../contract/queue.ts";
import { priceQueuedEvents } from "../costs/enrich.ts";
import { offloadBodies, offloadThreshold } from "../db/bodies.ts";
import { type ControlDb, controlDb } from "../db/client.ts";
import { loadPartBodies } from "../db/part-bodies.ts";
import { projectShards } from "../db/queries/placement.ts";
import { shardDatabase } from "../db/shards.ts";
import { deadLettersInsert } from "../db/writes/dead-letters.ts";
import { writeMessages } from "../db/writes/events.ts";
import { insertParts, readParts, replaceFolded } from "../db/writes/parts.ts";
import { scoreStatements } from "../db/writes/scores.ts";
import type { UsageTally } from "../db/writes/usage.ts";
import type { Bindings } from "../env.ts";
import { log } from "../lib/log.ts";
import { SECOND_MS } from "../lib/time.ts";
import { recordUsage } from "../usage/record.ts";
import { storeCountingScores } from "../usage/scores.ts";
import type { PlanVars } from "../usage/warnings.ts";
import { backlog } from "./backlog.ts";
import { foldedEvents } from "./fold.ts";

type Parsed = { message: Message<unknown>; body: QueueMessage };
/**
 * Where a group of messages goes: the control plane (prices, dead letters), the projects' data database, and the
 * bucket for bodies larger than `offloadBytes`.
 */
type Target = { control: ControlDb; data: D1Database; bodies: R2Bucket; offloadBytes: number; plans: PlanVars };

/** Keeps the messages' event parts, then stores the events their parts now make (priced, in place of older folds). */
async function writeFolds(t: Target, bodies: QueueMessage[]): Promise<UsageTally[]> {
  const withParts = bodies.filter((b) => b.parts?.length);
  if (!withParts.length) return [];
  await insertParts(t.data, withParts);
  const keys = new Map<string, [string, string]>();
  for (const b of withParts)
    for (const p of b.parts ?? []) keys.set(`${b.project_id}\u0000${p.event_id}`, [b.project_id, p.event_id]);
  const parts = await loadPartBodies(t.bodies, await readParts(t.data, [...keys.values()]));
  const folded = foldedEvents(parts, withParts[0]!.received_at);
  await priceQueuedEvents(
    t.control,
    folded.map((f) => ({ project_id: f.project_id, received_at: f.received_at, events: [f.event] })),
  );
  await Promise.all(folded.map((f) => offloadBodies(t.bodies, f.project_id, [f.event], t.offloadBytes)));
  return replaceFolded(t.data, folded, Date.now(), withParts[0]!.source ?? "langfuse");
}

/** Everything the messages carry: large bodies to R2 (idempotent: the key is content-addressed), whole events, parts,
 * scores; then the usage they newly added. */
async function store(t: Target, bodies: QueueMessage[]) {
  await Promise.all(bodies.map((b) => offloadBodies(t.bodies, b.project_id, b.events, t.offloadBytes)));
  const usage = await writeMessages(t.data, bodies);
  usage.push(...(await writeFolds(t, bodies)));
  usage.push(...(await storeCountingScores(t.data, bodies, scoreStatements(t.data, bodies))));
  await recordUsage(t.control.$client, usage, t.plans);
}

/** How many events, parts and scores a message carries (what the local backlog counts), whatever its shape. */
const carried = (body: unknown) => {
  const { events, parts, scores } = (body ?? {}) as { events?: unknown; parts?: unknown; scores?: unknown };
  const n = (v: unknown) => (Array.isArray(v) ? v.length : 0);
  return n(events) + n(parts) + n(scores);
};

async function writeEach(t: Target, parsed: Parsed[]) {
  for (const { message, body } of parsed) {
    try {
      await store(t, [body]);
      message.ack();
      backlog.written(carried(body));
    } catch (err) {
      if (await writeEventByEvent(t, message, body).catch(() => false)) {
        message.ack();
        backlog.written(carried(body));
      } else {
        log.error("queue.message_write_failed", err, { project_id: body.project_id, message_id: message.id });
        message.retry();
      }
    }
  }
}

/**
 * Writes a failed message's events one at a time; the ones that fail alone are kept in `dead_letters`. True when some
 * were stored (so the events, not the database, were the problem); false when none were: then the message is retried.
 */
async function writeEventByEvent(t: Target, message: Message<unknown>, body: QueueMessage) {
  if (body.events.length < 2) return false;
  const failed: QueueMessage["events"] = [];
  const usage: UsageTally[] = [];
  for (const event of body.events) {
    try {
      await offloadBodies(t.bodies, body.project_id, [event], t.offloadBytes);
      usage.push(...(await writeMessages(t.data, [{ ...body, events: [event] }])));
    } catch (err) {
      log.error("queue.event_dead_lettered", err, {
        project_id: body.project_id,
        trace_id: event.trace_id,
        event_id: event.event_id,
        message_id: message.id,
      });
      failed.push(event);
    }
  }
  if (failed.length === body.events.length) return false;
  usage.push(...(await writeFolds(t, [body])));
  usage.push(...(await storeCountingScores(t.data, [body], scoreStatements(t.data, [body]))));
  await recordUsage(t.control.$client, usage, t.plans);
  await keepDeadLetters(
    t.control,
    failed.map((event) => ({
      id: `${message.id}:${event.event_id}`,
      queue: "watchllm-events",
      projectId: body.project_id,
      body: JSON.stringify({ ...body, events: [event] }),
      attempts: message.attempts,
    })),
  );
  return true;
}

/** Placements change only when a project moves; the consumer keeps them briefly (a move waits this long to finish). */
export const PLACEMENT_TTL_MS = 30 * SECOND_MS;
const placements = new Map<string, { shard: number; at: number }>();

async function shardsOf(control: ControlDb, projectIds: string[]) {
  const now = Date.now();
  const stale = projectIds.filter((id) => (placements.get(id)?.at ?? 0) < now - PLACEMENT_TTL_MS);
  for (const [id, shard] of await projectShards(control, stale)) placements.set(id, { shard, at: now });
  return new Map(projectIds.flatMap((id) => (placements.has(id) ? [[id, placements.get(id)!.shard] as const] : [])));
}

async function consumeEvents(batch: MessageBatch<unknown>, env: Bindings) {
  const parsed: Parsed[] = [];
  for (const message of batch.messages) {
    const result = queueMessage.safeParse(message.body);
    if (result.success) parsed.push({ message, body: result.data });
    else {
      log.error("queue.message_unparseable", result.error, { message_id: message.id });
      message.retry();
    }
  }
  if (!parsed.length) return;
  const control = controlDb(env.DB);
  // Placement and pricing read the control plane; if that fails the whole batch is retried, before anything is written.
  const shards = await shardsOf(control, [...new Set(parsed.map((p) => p.body.project_id))]);
  await priceQueuedEvents(
    control,
    parsed.map((p) => p.body),
  );
  const groups = new Map<number, Parsed[]>();
  for (const p of parsed) {
    const shard = shards.get(p.body.project_id);
    if (shard === undefined) {
      // The project was deleted after its events were accepted: there is nowhere to keep them.
      log.warn("queue.project_gone", { project_id: p.body.project_id, message_id: p.message.id });
      p.message.ack();
      backlog.written(carried(p.body));
      continue;
    }
    groups.set(shard, [...(groups.get(shard) ?? []), p]);
  }
  const offloadBytes = offloadThreshold(env.BODY_OFFLOAD_BYTES);
  for (const [shard, group] of groups) {
    const t: Target = { control, data: shardDatabase(env, shard), bodies: env.BODIES, offloadBytes, plans: env };
    try {
      await store(
        t,
        group.map((p) => p.body),
      );
      for (const { message } of group) message.ack();
      backlog.written(group.reduce((n, p) => n + carried(p.body), 0));
    } catch (err) {
      log.error("queue.batch_write_failed", err, { shard, messages: group.length });
      await writeEach(t, group);
    }
  }
}

const MAX_DEAD_LETTER_CHARS = 1_000_000;
/** Rows per INSERT: 6 bound parameters each, within D1's 100. */
const DEAD_LETTERS_PER_INSERT = 16;

type DeadLetter = { id: string; queue: string; projectId: string | null; body: string; attempts: number };

/** Keeps what could not be stored (idempotent by id) so operators can inspect or replay it. */
async function keepDeadLetters(db: ControlDb, letters: DeadLetter[]) {
  const rows = letters.map((l) => ({ ...l, body: l.body.slice(0, MAX_DEAD_LETTER_CHARS), receivedAt: Date.now() }));
  const inserts = [];
  for (let i = 0; i < rows.length; i += DEAD_LETTERS_PER_INSERT) {
    inserts.push(deadLettersInsert(db, rows.slice(i, i + DEAD_LETTERS_PER_INSERT)));
  }
  const [first, ...rest] = inserts;
  if (first) await db.batch([first, ...rest]);
}

/** The dead-letter queue's consumer: every message that exhausted its retries is kept in `dead_letters`. */
async function storeDeadLetters(batch: MessageBatch<unknown>, env: Bindings) {
  await keepDeadLetters(
    controlDb(env.DB),
    batch.messages.map((message) => {
      const projectId = (message.body as { project_id?: unknown } | null)?.project_id;
      return {
        id: message.id,
        queue: batch.queue,
        projectId: typeof projectId === "string" ? projectId : null,
        body: JSON.stringify(message.body) ?? "null",
        attempts: message.attempts,
      };
    }),
  );
  batch.ackAll();
  for (const message of batch.messages) backlog.written(carried(message.body));
}

export const handleQueue: ExportedHandlerQueueHandler<Bindings> = (batch, env) =>
  batch.queue.endsWith("-dlq") ? storeDeadLetters(batch, env) : consumeEvents(batch, env);
