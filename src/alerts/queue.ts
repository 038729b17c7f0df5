// The alerts queue's producer side: deliveries are queued by id (the consumer reads the rest from D1).
import type { AlertQueueMessage } from "../../contract/alerts.ts";
import type { Bindings } from "../env.ts";

/** The queue (wrangler.toml) whose consumer sends notifications: src/alerts/deliver.ts. */
export const ALERTS_QUEUE_NAME = "watchllm-alerts";

export async function enqueueDeliveries(env: Bindings, deliveryIds: string[]) {
  for (let i = 0; i < deliveryIds.length; i += 100) {
    await env.ALERTS_QUEUE.sendBatch(
      deliveryIds.slice(i, i + 100).map((id) => ({ body: { delivery_id: id } satisfies AlertQueueMessage })),
    );
  }
}

/** Seconds before attempt `attempts + 1`: base (ALERT_RETRY_BASE_SECONDS, 10 s), twice that, … up to an hour. */
export function backoffSeconds(env: Bindings, attempts: number) {
  const base = Number(env.ALERT_RETRY_BASE_SECONDS || 10);
  return Math.min((Number.isFinite(base) ? base : 10) * 2 ** Math.max(0, attempts - 1), 3600);
}
