// POST /api/public/ingestion: Langfuse's ingestion API, so apps on the Langfuse SDKs (v2/v3) switch by changing their
// host. Basic auth where either part is a WatchLLM key (their pk:sk pair keeps working with a key in either slot).
// Answers 207 like Langfuse: every item in `successes` or in `errors`; one bad item costs only itself. Every part is
// checked against the queue's contract here, so what is answered as accepted can be stored.
import { Hono } from "hono";
import type { WireEventInput } from "../../contract/event.ts";
import { LANGFUSE_LIMITS, type LangfuseAnswer, langfuseBatch, langfuseItem } from "../../contract/langfuse.ts";
import { type EventPart, eventPart } from "../../contract/queue.ts";
import type { WireScore } from "../../contract/scores.ts";
import { keyFromAuthorization, touchKey } from "../auth/keys.ts";
import { controlDb } from "../db/client.ts";
import { offloadPartBodies } from "../db/part-bodies.ts";
import type { AppEnv } from "../env.ts";
import { enqueueEvents } from "../ingest/enqueue.ts";
import { checkScores } from "../ingest/scores.ts";
import { validateEvents } from "../ingest/validate.ts";
import { mapItem } from "../langfuse/map.ts";
import { answer as answerAs } from "../lib/answer.ts";
import { readJsonBody } from "../lib/body.ts";
import { ApiError } from "../lib/errors.ts";
import { admitIngest, refusalError } from "../usage/quota.ts";

type ItemError = LangfuseAnswer["errors"][number];
/** Langfuse's answer for an item it can't take: the category in `message`, the reason in `error`. */
const invalid = (id: string, error: string): ItemError => ({ id, status: 400, message: "Invalid request data", error });
const issuesOf = (issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>) =>
  issues.map((i) => `${i.path.map(String).join(".") || "item"}: ${i.message}`).join("; ");

export const langfuseRoute = new Hono<AppEnv>()
  .get("/", () => {
    throw new ApiError("method_not_allowed", "Send batches with POST.");
  })
  .post("/", async (c) => {
    const db = controlDb(c.env.DB);
    const key = await keyFromAuthorization(db, c.req.header("Authorization"));
    const payload = await readJsonBody(c.req.raw, LANGFUSE_LIMITS.maxRequestBytes);
    const envelope = langfuseBatch.safeParse(payload);
    if (!envelope.success) throw new ApiError("invalid_request", 'Send `{ "batch": [...] }`.');

    const answer: LangfuseAnswer = { successes: [], errors: [] };
    const parts: EventPart[] = [];
    const whole: Array<{ id: string; event: WireEventInput }> = [];
    const scored: Array<{ id: string; score: WireScore }> = [];
    for (const raw of envelope.data.batch) {
      const rawId = (raw as { id?: unknown } | null)?.id;
      const item = langfuseItem.safeParse(raw);
      if (!item.success) {
        answer.errors.push(invalid(typeof rawId === "string" ? rawId : "unknown", issuesOf(item.error.issues)));
        continue;
      }
      const { id } = item.data;
      const mapped = await mapItem(item.data);
      if ("error" in mapped) answer.errors.push(invalid(id, mapped.error));
      else if ("part" in mapped) {
        const checked = eventPart.safeParse(mapped.part);
        if (checked.success) {
          parts.push(mapped.part);
          answer.successes.push({ id, status: 201 });
        } else answer.errors.push(invalid(id, issuesOf(checked.error.issues)));
      } else if ("event" in mapped) whole.push({ id, event: mapped.event });
      else if ("score" in mapped) scored.push({ id, score: mapped.score });
      else answer.successes.push({ id, status: 201 });
    }
    const { events, rejected } = validateEvents(whole.map((w) => w.event));
    whole.forEach((w, i) => {
      const reason = rejected.find((r) => r.index === i);
      if (reason) answer.errors.push(invalid(w.id, reason.message));
      else answer.successes.push({ id: w.id, status: 201 });
    });
    const author = { kind: key.kind, id: key.id };
    const { scores, rejected: refusedScores } = await checkScores(
      c.env,
      key.projectId,
      scored.map((s) => s.score),
      author,
    );
    scored.forEach((s, i) => {
      const reason = refusedScores.find((r) => r.index === i);
      if (reason) answer.errors.push(invalid(s.id, reason.message));
      else answer.successes.push({ id: s.id, status: 201 });
    });
    try {
      await offloadPartBodies(c.env.BODIES, key.projectId, parts);
    } catch (err) {
      throw new ApiError("storage_unavailable", "Body storage is unavailable; retry the request.", String(err));
    }
    if (events.length || parts.length || scores.length) {
      const refusal = await admitIngest(c.env, key.projectId, events.length + parts.length);
      // Over quota, Langfuse's own way: every item an error (429) in the 207; a flood is refused whole, to be retried.
      if (refusal?.code === "quota_exceeded") {
        const message = `quota_exceeded: ${refusal.message}`;
        answer.errors.push(...answer.successes.map(({ id }) => ({ id, status: 429, message })));
        answer.successes = [];
        return answerAs(c, "POST /api/public/ingestion", answer, 207, { "Retry-After": String(refusal.retryAfter) });
      }
      if (refusal) throw refusalError(refusal);
      await enqueueEvents(c.env, key.projectId, events, parts, scores, "langfuse");
    }
    c.executionCtx.waitUntil(touchKey(db, key));
    return answerAs(c, "POST /api/public/ingestion", answer, 207);
  });
