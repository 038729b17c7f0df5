// POST <base>/v1/traces: OTLP/HTTP trace exports (protobuf or JSON, gzip or not), mounted at /api/v1/otel and at
// Langfuse's /api/public/otel, with /v1/logs beside it (otel-logs.ts). Spans become wire events and take the native
// path: validate (take.ts) → enqueueEvents.
import { Hono } from "hono";
import { LIMITS } from "../../contract/limits.ts";
import { keyFromAuthorization, touchKey } from "../auth/keys.ts";
import { controlDb } from "../db/client.ts";
import type { AppEnv } from "../env.ts";
import { enqueueEvents } from "../ingest/enqueue.ts";
import { checkScores } from "../ingest/scores.ts";
import { readBody } from "../lib/body.ts";
import { ApiError } from "../lib/errors.ts";
import { ingestCors } from "../lib/ingest-cors.ts";
import { log, requestIdOf } from "../lib/log.ts";
import { decodeExport, encodingOf } from "../otel/decode.ts";
import { OTLP_LIMITS } from "../otel/limits.ts";
import { mapExport } from "../otel/map.ts";
import { exportResponse, statusResponse } from "../otel/respond.ts";
import { takeSpans } from "../otel/take.ts";
import { guardIngest } from "../usage/quota.ts";
import { otelLogsRoute } from "./otel-logs.ts";

export const otelRoute = new Hono<AppEnv>()
  .use(ingestCors)
  // A Content-Type that is neither protobuf nor JSON is refused as OTLP refuses, a google.rpc.Status (in JSON, since
  // the client's own encoding is not one we speak), before either route reads its encoding.
  .use(async (c, next) => {
    if (c.req.method !== "POST") return next();
    try {
      encodingOf(c.req.header("Content-Type"));
    } catch (err) {
      if (err instanceof ApiError) return statusResponse("json", err, OTLP_LIMITS.retryAfterSeconds);
      throw err;
    }
    return next();
  })
  .route("/", otelLogsRoute)
  .post("/v1/traces", async (c) => {
    const encoding = encodingOf(c.req.header("Content-Type"));
    try {
      const db = controlDb(c.env.DB);
      const key = await keyFromAuthorization(db, c.req.header("Authorization"));
      const { request, undecodable } = decodeExport(await readBody(c.req.raw, LIMITS.maxRequestBytes), encoding);
      const { spans, overflow } = mapExport(request, OTLP_LIMITS.spansPerExport);
      const { accepted, rejectedSpans, reasons, droppedChildren } = takeSpans(spans);
      const rejected = rejectedSpans + overflow + undecodable.length;
      if (overflow)
        reasons.push(`${overflow} span(s) beyond ${OTLP_LIMITS.spansPerExport} per export; send smaller batches`);
      reasons.push(...undecodable);
      if (!accepted.length && rejected) {
        throw new ApiError("invalid_request", "No span in the export could be taken.", reasons.slice(0, 10).join("; "));
      }
      // Evaluations of the accepted spans; an ingest key's count as the SDK's (it may not send `eval` scores).
      const evaluations = spans.flatMap((s) => (s.problem ? [] : (s.scores ?? [])));
      const source = key.kind === "ingest" ? "sdk" : "eval";
      const { scores } = await checkScores(
        c.env,
        key.projectId,
        evaluations.map((s) => ({ ...s, source })),
        { kind: key.kind, id: key.id },
      );
      if (accepted.length || scores.length) {
        await guardIngest(c.env, key.projectId, accepted.length);
        await enqueueEvents(c.env, key.projectId, accepted, [], scores, "otlp");
      }
      c.executionCtx.waitUntil(touchKey(db, key));
      const notes = [
        ...(rejected ? [`${rejected} span(s) rejected: ${reasons.slice(0, 5).join("; ")}`] : []),
        ...(droppedChildren ? [`${droppedChildren} span event(s) dropped as invalid`] : []),
      ];
      return exportResponse(encoding, rejected, notes.join(". "));
    } catch (err) {
      // OTLP clients read every 4xx/5xx body as a google.rpc.Status, unexpected failures included.
      if (!(err instanceof ApiError)) log.error("otlp.export_failed", err, { request_id: requestIdOf(c.req.raw) });
      const error = err instanceof ApiError ? err : new ApiError("internal_error", "Something went wrong on our side.");
      return statusResponse(encoding, error, OTLP_LIMITS.retryAfterSeconds);
    }
  });
