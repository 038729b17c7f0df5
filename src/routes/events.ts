// POST /api/v1/events: the ingest endpoint SDKs, browsers (fetch keepalive / sendBeacon) and curl talk to.
import { Hono } from "hono";
import { z } from "zod";
import { ingestRequest } from "../../contract/event.ts";
import { LIMITS } from "../../contract/limits.ts";
import { bearerToken, findKey, touchKey } from "../auth/keys.ts";
import { controlDb } from "../db/client.ts";
import type { AppEnv } from "../env.ts";
import { enqueueEvents } from "../ingest/enqueue.ts";
import { validateEvents } from "../ingest/validate.ts";
import { answer } from "../lib/answer.ts";
import { readJsonBody } from "../lib/body.ts";
import { ApiError } from "../lib/errors.ts";
import { ingestCors } from "../lib/ingest-cors.ts";
import { guardIngest } from "../usage/quota.ts";

export const eventsRoute = new Hono<AppEnv>().use(ingestCors).post("/", async (c) => {
  // gzip is welcome (the limit counts what it inflates to).
  const payload = await readJsonBody(c.req.raw, LIMITS.maxRequestBytes);
  const parsed = ingestRequest.safeParse(payload);
  const bodyKey = parsed.success && !Array.isArray(parsed.data) ? parsed.data.api_key : undefined;
  const db = controlDb(c.env.DB);
  const key = await findKey(db, bearerToken(c.req.header("Authorization")) ?? c.req.query("api_key") ?? bodyKey);
  if (!parsed.success) {
    throw new ApiError(
      "invalid_request",
      'Send `{ "events": [...] }` or a JSON array of events.',
      z.treeifyError(parsed.error),
    );
  }
  const items = Array.isArray(parsed.data) ? parsed.data : parsed.data.events;
  if (!items.length) throw new ApiError("empty_batch", "The batch has no events.");
  if (items.length > LIMITS.maxEventsPerRequest) {
    throw new ApiError("too_many_events", `At most ${LIMITS.maxEventsPerRequest} events per request.`, {
      max_events: LIMITS.maxEventsPerRequest,
      received: items.length,
    });
  }
  const { events, rejected } = validateEvents(items);
  if (!events.length)
    throw new ApiError("invalid_request", `No event in the batch is valid (first: ${rejected[0]?.message}).`, {
      accepted: 0,
      rejected,
    });
  await guardIngest(c.env, key.projectId, events.length);
  await enqueueEvents(c.env, key.projectId, events, [], [], "sdk");
  c.executionCtx.waitUntil(touchKey(db, key));
  return answer(c, "POST /api/v1/events", { accepted: events.length, rejected }, 202);
});
