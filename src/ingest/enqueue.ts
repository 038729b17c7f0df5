// Packs validated events (and event parts) into queue messages (≤ 120 KB each) and sends them in sendBatch calls
// within Queue limits. A body too big for a message is written to R2 first and travels as a pointer.
import { LIMITS } from "../../contract/limits.ts";
import type { EventPart, QueueMessage, StoredEvent } from "../../contract/queue.ts";
import type { StoredScore } from "../../contract/scores.ts";
import type { IngestSource } from "../../contract/usage.ts";
import { offloadBodies } from "../db/bodies.ts";
import type { Bindings } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { byteLength } from "../lib/json-size.ts";
import { backlog } from "./backlog.ts";

const ENVELOPE_BYTES = 200;

/** Groups events, parts and scores into messages no larger than LIMITS.maxMessageBytes, each with its size. */
export function packMessages(
  projectId: string,
  events: StoredEvent[],
  receivedAt: number,
  parts: EventPart[] = [],
  scores: StoredScore[] = [],
  source?: IngestSource,
) {
  const messages: { body: QueueMessage; bytes: number }[] = [];
  const empty = (): QueueMessage => ({ project_id: projectId, received_at: receivedAt, events: [], source });
  let body = empty();
  let bytes = ENVELOPE_BYTES;
  const close = () => {
    if (body.events.length || body.parts?.length || body.scores?.length) messages.push({ body, bytes });
    body = empty();
    bytes = ENVELOPE_BYTES;
  };
  const add = (size: number, put: () => void) => {
    if (bytes + size > LIMITS.maxMessageBytes) close();
    put();
    bytes += size;
  };
  for (const event of events) add(byteLength(JSON.stringify(event)) + 1, () => body.events.push(event));
  for (const part of parts) {
    add(byteLength(JSON.stringify(part)) + 1, () => {
      body.parts ??= [];
      body.parts.push(part);
    });
  }
  for (const score of scores) {
    add(byteLength(JSON.stringify(score)) + 1, () => {
      body.scores ??= [];
      body.scores.push(score);
    });
  }
  close();
  return messages;
}

/**
 * Where the ways in send events: the queue, and the bucket for bodies too big for it; with the fair-share limiter and
 * the bulk queue, a project past its share of the main queue goes to the bulk one.
 */
export type Outbox = Pick<Bindings, "EVENTS_QUEUE" | "BODIES"> &
  Partial<Pick<Bindings, "BULK_QUEUE" | "FAIR_SHARE_LIMIT">>;

/**
 * The queue for this request: the main one while the project is within its fair share (FAIR_SHARE_LIMIT, counted per
 * request), else the bulk one, which the same consumer drains beside the main one. A limiter that fails keeps the
 * request on the main queue.
 */
async function laneOf(out: Outbox, projectId: string): Promise<Queue<QueueMessage>> {
  const main = out.EVENTS_QUEUE as Queue<QueueMessage>;
  if (!out.BULK_QUEUE || !out.FAIR_SHARE_LIMIT) return main;
  const within = await out.FAIR_SHARE_LIMIT.limit({ key: projectId }).then(
    (outcome) => outcome.success,
    () => true,
  );
  return within ? main : (out.BULK_QUEUE as Queue<QueueMessage>);
}

/**
 * Sends the messages; a failed send is a 503 the client retries (duplicates are harmless: writes are idempotent).
 * `source` names the way in, which usage counts by.
 */
export async function enqueueEvents(
  out: Outbox,
  projectId: string,
  events: StoredEvent[],
  parts: EventPart[] = [],
  scores: StoredScore[] = [],
  source?: IngestSource,
) {
  try {
    await offloadBodies(out.BODIES, projectId, events, LIMITS.maxQueuedBodyBytes);
  } catch (err) {
    throw new ApiError("storage_unavailable", "Body storage is unavailable; retry the request.", String(err));
  }
  const queue = await laneOf(out, projectId);
  const messages = packMessages(projectId, events, Date.now(), parts, scores, source);
  const calls: MessageSendRequest<QueueMessage>[][] = [];
  let call: MessageSendRequest<QueueMessage>[] = [];
  let callBytes = 0;
  for (const message of messages) {
    if (call.length === LIMITS.maxSendBatchMessages || callBytes + message.bytes > LIMITS.maxSendBatchBytes) {
      calls.push(call);
      call = [];
      callBytes = 0;
    }
    call.push({ body: message.body, contentType: "json" });
    callBytes += message.bytes;
  }
  if (call.length) calls.push(call);
  try {
    await Promise.all(calls.map((batch) => queue.sendBatch(batch)));
  } catch (err) {
    throw new ApiError("queue_unavailable", "The event queue is unavailable; retry the request.", String(err));
  }
  backlog.sent(events.length + parts.length + scores.length);
  return messages.length;
}
