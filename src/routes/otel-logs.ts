// POST <base>/v1/logs: OTLP/HTTP log exports (protobuf or JSON, gzip or not), mounted inside the OTLP route (so at
// /api/v1/otel and Langfuse's /api/public/otel). Evaluation results become scores, records of a span its `log` events;
// both take the native path (validateEvents / checkScores → enqueueEvents). Records that can't be placed are counted
// in partialSuccess with their reasons.
import { Hono } from "hono";
import type { WireEventInput as WireEvent } from "../../contract/event.ts";
import { LIMITS } from "../../contract/limits.ts";
import type { WireScore } from "../../contract/scores.ts";
import { keyFromAuthorization, touchKey } from "../auth/keys.ts";
import { controlDb } from "../db/client.ts";
import type { AppEnv } from "../env.ts";
import { enqueueEvents } from "../ingest/enqueue.ts";
import { checkScores } from "../ingest/scores.ts";
import { validateEvents } from "../ingest/validate.ts";
import { readBody } from "../lib/body.ts";
import { ApiError } from "../lib/errors.ts";
import { log, requestIdOf } from "../lib/log.ts";
import { decodeLogsExport, encodingOf } from "../otel/decode.ts";
import { OTLP_LIMITS } from "../otel/limits.ts";
import { mapLogsExport } from "../otel/map-logs.ts";
import { logsExportResponse, statusResponse } from "../otel/respond.ts";
import { guardIngest } from "../usage/quota.ts";

/** Reasons named in partialSuccess.errorMessage (the count covers them all). */
const MAX_REASONS = 8;

export const otelLogsRoute = new Hono<AppEnv>().post("/v1/logs", async (c) => {
  const encoding = encodingOf(c.req.header("Content-Type"));
  try {
    const db = controlDb(c.env.DB);
    const key = await keyFromAuthorization(db, c.req.header("Authorization"));
    const { request, undecodable } = decodeLogsExport(await readBody(c.req.raw, LIMITS.maxRequestBytes), encoding);
    const { records, overflow } = mapLogsExport(request, OTLP_LIMITS.logRecordsPerExport);

    const wire: WireEvent[] = [];
    const evaluations: WireScore[] = [];
    const reasons: string[] = [];
    for (const record of records) {
      if (record.event) wire.push(record.event);
      else if (record.score) evaluations.push(record.score);
      else if (record.problem) reasons.push(record.problem);
    }
    const events = validateEvents(wire);
    for (const r of events.rejected) reasons.push(`log record ${r.event_id}: ${r.message}`);
    // An ingest key's evaluations count as the SDK's (it may not send `eval` scores).
    const source = key.kind === "ingest" ? "sdk" : "eval";
    const scores = await checkScores(
      c.env,
      key.projectId,
      evaluations.map((s) => ({ ...s, source })),
      { kind: key.kind, id: key.id },
    );
    for (const r of scores.rejected) reasons.push(`evaluation ${evaluations[r.index]?.name}: ${r.message}`);
    if (overflow) {
      reasons.push(
        `${overflow} log record(s) beyond ${OTLP_LIMITS.logRecordsPerExport} per export; send smaller batches`,
      );
    }
    reasons.push(...undecodable);

    if (events.events.length || scores.scores.length) {
      await guardIngest(c.env, key.projectId, events.events.length);
      await enqueueEvents(c.env, key.projectId, events.events, [], scores.scores, "otlp");
    }
    c.executionCtx.waitUntil(touchKey(db, key));
    const rejected =
      records.filter((r) => r.problem).length +
      events.rejected.length +
      scores.rejected.length +
      undecodable.length +
      overflow;
    const note = rejected ? `${rejected} log record(s) rejected: ${summarize(reasons)}` : "";
    return logsExportResponse(encoding, rejected, note);
  } catch (err) {
    // OTLP clients read every 4xx/5xx body as a google.rpc.Status, unexpected failures included.
    if (!(err instanceof ApiError)) log.error("otlp.logs_export_failed", err, { request_id: requestIdOf(c.req.raw) });
    const error = err instanceof ApiError ? err : new ApiError("internal_error", "Something went wrong on our side.");
    return statusResponse(encoding, error, OTLP_LIMITS.retryAfterSeconds);
  }
});

/** The distinct reasons, most frequent first, each with its count; at most MAX_REASONS of them. */
function summarize(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_REASONS)
    .map(([reason, n]) => (n > 1 ? `${reason} (×${n})` : reason))
    .join("; ");
}
