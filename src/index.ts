// Worker entry: the HTTP app and the queue consumer.
import { app } from "./app.ts";
import type { Bindings } from "./env.ts";
import { handleQueue } from "./ingest/consume.ts";

export default {
  fetch: app.fetch,
  queue: handleQueue,
} satisfies ExportedHandler<Bindings>;
