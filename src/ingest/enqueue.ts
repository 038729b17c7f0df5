// Packs validated events into queue messages (≤ 120 KB each) and sends them in sendBatch calls within Queue limits.
import { LIMITS } from "../../contract/limits.ts";
import type { QueueMessage, StoredEvent } from "../../contract/queue.ts";
import { ApiError } from "../lib/errors.ts";
import { byteLength } from "../lib/json-size.ts";
import { backlog } from "./backlog.ts";

const ENVELOPE_BYTES = 200;

/** Groups events into messages no larger than LIMITS.maxMessageBytes. Returns each message with its size. */
export function packMessages(projectId: string, events: StoredEvent[], receivedAt: number) {
  const messages: { body: QueueMessage; bytes: number }[] = [];
  let current: StoredEvent[] = [];
  let bytes = ENVELOPE_BYTES;
  const close = () => {
    if (current.length)
      messages.push({ body: { project_id: projectId, received_at: receivedAt, events: current }, bytes });
    current = [];
    bytes = ENVELOPE_BYTES;
  };
  for (const event of events) {
    const size = byteLength(JSON.stringify(event)) + 1;
    if (bytes + size > LIMITS.maxMessageBytes) close();
    current.push(event);
    bytes += size;
  }
  close();
  return messages;
}

/** Sends the messages; a failed send is a 503 the client retries (duplicates are harmless: writes are idempotent). */
export async function enqueueEvents(queue: Queue<QueueMessage>, projectId: string, events: StoredEvent[]) {
  const messages = packMessages(projectId, events, Date.now());
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
  backlog.sent(events.length);
  return messages.length;
}
