// The minute sweep of deliveries that were recorded but never reached the queue (the send threw, or the run died
// between the claim and the send): after RESEND_AFTER_MS without an attempt they are queued again, with the same
// delivery_id, by one run only (a conditional update claims them). Unsent for a day, they are given up as failed.
import { claimUnsentDeliveries } from "../db/writes/alerts.ts";
import type { Bindings } from "../env.ts";
import { DAY_MS, MINUTE_MS } from "../lib/time.ts";
import { enqueueDeliveries } from "./queue.ts";

/** A delivery not attempted this long after it was recorded (or last re-sent) is queued again. */
export const RESEND_AFTER_MS = 5 * MINUTE_MS;
/** Deliveries re-sent per run at most. */
const RESEND_PER_RUN = 200;

/** Queues again the deliveries no attempt was made at for RESEND_AFTER_MS; returns how many. */
export async function resendUnsent(env: Bindings, now: number) {
  const ids = await claimUnsentDeliveries(env.DB, now - RESEND_AFTER_MS, now - DAY_MS, now, RESEND_PER_RUN);
  await enqueueDeliveries(env, ids);
  return ids.length;
}
