// The alerts queue's consumer: sends each delivery (webhook signed, Slack, email) with a 10 s timeout, keeps every
// attempt with the receiver's status and the first 1 KB of its answer, retries with backoff (the same delivery_id each
// time), and tracks the channel's health (24 h of failures disable it).
import { ALERT_LIMITS, alertQueueMessage, type WebhookPayload } from "../../contract/alerts.ts";
import type { UsageWarningPayload } from "../../contract/usage.ts";
import { controlDb } from "../db/client.ts";
import { deliveryToSend } from "../db/queries/alerts.ts";
import type { AlertChannelRow } from "../db/schema.ts";
import { type AttemptResult, channelFailed, channelSucceeded, recordAttempt } from "../db/writes/alerts.ts";
import type { Bindings } from "../env.ts";
import { log } from "../lib/log.ts";
import { refusedDestination } from "./destination.ts";
import { emailMessage, signature, slackMessage } from "./payload.ts";
import { backoffSeconds } from "./queue.ts";
import { isUsageWarning, usageEmailMessage, usageSlackMessage } from "./usage-warnings.ts";

/** At most `max` bytes of an answer, without reading the rest. */
async function head(res: Response, max: number) {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < max) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return new TextDecoder().decode(bytes.subarray(0, max));
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<AttemptResult> {
  const started = Date.now();
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "User-Agent": "WatchLLM-Alerts", ...headers },
      body,
      // A redirect could lead to a private address: it is not followed, and counts as a failure.
      redirect: "manual",
      signal: AbortSignal.timeout(ALERT_LIMITS.deliveryTimeoutMs),
    });
    const response = await head(res, ALERT_LIMITS.responseBytes);
    const ok = res.status >= 200 && res.status < 300;
    return {
      status: res.status,
      response,
      error: ok ? null : res.status >= 300 && res.status < 400 ? "redirects are not followed" : `HTTP ${res.status}`,
      durationMs: Date.now() - started,
    };
  } catch (err) {
    const timeout = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    const error = timeout ? `no answer within ${ALERT_LIMITS.deliveryTimeoutMs / 1000} s` : String(err);
    return { status: null, response: null, error, durationMs: Date.now() - started };
  }
}

type Optional = { SEND_EMAIL?: SendEmail; ALERT_EMAIL_FROM?: string };

/** One attempt at one channel. */
async function send(env: Bindings, channel: AlertChannelRow, raw: string, secret: string): Promise<AttemptResult> {
  if (channel.type === "email") {
    const { SEND_EMAIL, ALERT_EMAIL_FROM } = env as Bindings & Optional;
    if (!SEND_EMAIL || !ALERT_EMAIL_FROM)
      return { status: null, response: null, error: "email is not configured on this instance", durationMs: 0 };
    const started = Date.now();
    try {
      const parsed = JSON.parse(raw) as WebhookPayload | UsageWarningPayload;
      const message = isUsageWarning(parsed) ? usageEmailMessage(parsed) : emailMessage(parsed);
      const sent = await SEND_EMAIL.send({ from: ALERT_EMAIL_FROM, to: channel.target, ...message });
      return { status: 250, response: sent.messageId, error: null, durationMs: Date.now() - started };
    } catch (err) {
      return { status: null, response: null, error: String(err), durationMs: Date.now() - started };
    }
  }
  const refused = refusedDestination(channel.target, env);
  if (refused) return { status: null, response: null, error: `destination refused: ${refused}`, durationMs: 0 };
  const payload = JSON.parse(raw) as WebhookPayload | UsageWarningPayload;
  if (channel.type === "slack") {
    const message = isUsageWarning(payload) ? usageSlackMessage(payload) : slackMessage(payload);
    return post(channel.target, JSON.stringify(message), {});
  }
  return post(channel.target, raw, {
    "WatchLLM-Signature": await signature(secret, raw, Math.floor(Date.now() / 1000)),
    "WatchLLM-Delivery": payload.delivery_id,
  });
}

async function deliverOne(env: Bindings, message: Message<unknown>) {
  const parsed = alertQueueMessage.safeParse(message.body);
  if (!parsed.success) return message.ack();
  const db = controlDb(env.DB);
  const found = await deliveryToSend(db, parsed.data.delivery_id);
  // The rule (or its channel) was deleted, or another copy of this message already delivered it.
  if (!found || found.delivery.status === "delivered") return message.ack();
  const at = Date.now();
  const result = await send(env, found.channel, found.delivery.payload, found.secret);
  const delivered = result.error === null;
  const last = message.attempts >= ALERT_LIMITS.maxAttempts;
  const status = delivered ? "delivered" : last ? "failed" : "retrying";
  await recordAttempt(db, found.delivery.id, message.attempts, at, result, status);
  if (delivered) {
    await channelSucceeded(db, found.channel.id);
    return message.ack();
  }
  await channelFailed(db, found.channel.id, at, result.error ?? "failed");
  if (last) return message.ack();
  message.retry({ delaySeconds: backoffSeconds(env, message.attempts) });
}

/** The consumer of ALERTS_QUEUE: every message on its own, so one slow or failing receiver doesn't hold the others. */
export async function handleAlertQueue(batch: MessageBatch<unknown>, env: Bindings) {
  await Promise.all(
    batch.messages.map((m) =>
      deliverOne(env, m).catch((err) => {
        log.error("alerts.delivery_failed", err, { message_id: m.id, attempts: m.attempts });
        m.retry({ delaySeconds: backoffSeconds(env, m.attempts) });
      }),
    ),
  );
}
