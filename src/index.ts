// Worker entry: the HTTP app, the queue consumers (events, alert deliveries) and the scheduled work (alerts and quota
// warnings every minute, maintenance every fifth minute).
import { handleAlertQueue } from "./alerts/deliver.ts";
import { evaluateAlerts } from "./alerts/evaluate.ts";
import { ALERTS_QUEUE_NAME } from "./alerts/queue.ts";
import { sendUsageWarnings } from "./alerts/usage-warnings.ts";
import { app } from "./app.ts";
import type { Bindings } from "./env.ts";
import { handleQueue } from "./ingest/consume.ts";
import { log } from "./lib/log.ts";
import { runMaintenance } from "./maintenance/run.ts";

/** The Cron Trigger (wrangler.toml); any other cron (a manual trigger) runs the maintenance too. */
const EVERY_MINUTE = "* * * * *";

export default {
  fetch: app.fetch,
  queue: (batch, env, ctx) =>
    batch.queue === ALERTS_QUEUE_NAME ? handleAlertQueue(batch, env) : handleQueue(batch, env, ctx),
  scheduled: (controller, env, ctx) => {
    ctx.waitUntil(
      Promise.all([
        evaluateAlerts(env, controller.scheduledTime).catch((err) => log.error("alerts.run_failed", err)),
        sendUsageWarnings(env).catch((err) => log.error("usage.warnings_failed", err)),
      ]),
    );
    const minute = new Date(controller.scheduledTime).getUTCMinutes();
    if (controller.cron !== EVERY_MINUTE || minute % 5 === 0) ctx.waitUntil(runMaintenance(env));
  },
} satisfies ExportedHandler<Bindings>;
