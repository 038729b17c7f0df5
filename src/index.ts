// Worker entry: the HTTP app, the queue consumer and the scheduled maintenance.
import { app } from "./app.ts";
import type { Bindings } from "./env.ts";
import { handleQueue } from "./ingest/consume.ts";
import { runMaintenance } from "./maintenance/run.ts";

export default {
  fetch: app.fetch,
  queue: handleQueue,
  scheduled: (_controller, env, ctx) => ctx.waitUntil(runMaintenance(env)),
} satisfies ExportedHandler<Bindings>;
