// POST /api/public/ingestion: Langfuse's ingestion API, so apps on the Langfuse SDKs (v2/v3) switch by changing their
// host. Basic auth where either part is a WatchLLM key (their pk:sk pair keeps working with a key in either slot).
// Answers 207 like Langfuse: every item in `successes` or in `errors`; one bad item costs only itself.
import { Hono } from "hono";
import type { WireEventInput } from "../../contract/event.ts";
import { type LangfuseAnswer, langfuseBatch, langfuseItem } from "../../contract/langfuse.ts";
import { LIMITS } from "../../contract/limits.ts";
import type { EventPart } from "../../contract/queue.ts";
import { keyFromAuthorization, touchKey } from "../auth/keys.ts";
import { database } from "../db/client.ts";
import type { AppEnv } from "../env.ts";
import { enqueueEvents } from "../ingest/enqueue.ts";
import { validateEvents } from "../ingest/validate.ts";
import { mapItem } from "../langfuse/map.ts";
import { readTextBody } from "../lib/body.ts";
import { ApiError } from "../lib/errors.ts";
import { admitIngest, refusalError } from "../usage/quota.ts";

export const langfuseRoute = new Hono<AppEnv>().post("/", async (c) => {
  const db = database(c.env.DB);
  const key = await keyFromAuthorization(db, c.req.header("Authorization"));
  let payload: unknown;
  try {
    payload = JSON.parse(await readTextBody(c.req.raw, LIMITS.maxRequestBytes));
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw new ApiError("invalid_json", "Request body is not valid JSON.", String(err));
  }
  const envelope = langfuseBatch.safeParse(payload);
  if (!envelope.success) throw new ApiError("invalid_request", 'Send `{ "batch": [...] }` (at most 1,000 items).');

  const answer: LangfuseAnswer = { successes: [], errors: [] };
  const parts: EventPart[] = [];
  const whole: Array<{ id: string; event: WireEventInput }> = [];
  for (const [index, raw] of envelope.data.batch.entries()) {
    const item = langfuseItem.safeParse(raw);
    const id = item.success ? item.data.id : String((raw as { id?: unknown } | null)?.id ?? `#${index}`);
    if (!item.success) {
      answer.errors.push({ id, status: 400, message: "an item needs an id, a type and a body" });
      continue;
    }
    const mapped = mapItem(item.data);
    if ("error" in mapped) answer.errors.push({ id, status: 400, message: mapped.error });
    else if ("part" in mapped) {
      parts.push(mapped.part);
      answer.successes.push({ id, status: 201 });
    } else if ("event" in mapped) whole.push({ id, event: mapped.event });
    else answer.successes.push({ id, status: 201 });
  }
  const { events, rejected } = validateEvents(whole.map((w) => w.event));
  const refused = new Set(rejected.map((r) => r.index));
  whole.forEach((w, i) => {
    const reason = rejected.find((r) => r.index === i);
    if (refused.has(i)) answer.errors.push({ id: w.id, status: 400, message: reason?.message ?? "invalid" });
    else answer.successes.push({ id: w.id, status: 201 });
  });
  if (events.length || parts.length) {
    const refusal = await admitIngest(c.env, key.projectId, events.length + parts.length);
    // Over quota, Langfuse's own way: every item an error (429) in the 207; a flood is refused whole, to be retried.
    if (refusal?.code === "quota_exceeded") {
      const message = `quota_exceeded: ${refusal.message}`;
      answer.errors.push(...answer.successes.map(({ id }) => ({ id, status: 429, message })));
      answer.successes = [];
      return c.json(answer, 207, { "Retry-After": String(refusal.retryAfter) });
    }
    if (refusal) throw refusalError(refusal);
    await enqueueEvents(c.env, key.projectId, events, parts, "langfuse");
  }
  c.executionCtx.waitUntil(touchKey(db, key));
  return c.json(answer, 207);
});
