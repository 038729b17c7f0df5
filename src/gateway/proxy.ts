// One gateway call: check the key (cached), forward the request untouched but for WatchLLM's headers, hand the
// answer back as it arrives, and record it from a copy after the fact (ctx.waitUntil), optionally via the cache.
import type { Context } from "hono";
import { controlDb } from "../db/client.ts";
import type { AppEnv } from "../env.ts";
import { log, requestIdOf } from "../lib/log.ts";
import { admitIngest } from "../usage/quota.ts";
import { authenticate, touchCachedKey } from "./auth.ts";
import { isJsonRequest, observeStream, readCopy, readRequestBytes } from "./body.ts";
import { cacheKey, lookup, store } from "./cache.ts";
import { type Digest, digestJson, sseParser, streamAssembler } from "./digest.ts";
import { GatewayError, gatewayErrorResponse } from "./errors.ts";
import { GATEWAY_LIMITS } from "./limits.ts";
import { forwardHeaders, readCallOptions } from "./options.ts";
import { type Call, type Outcome, sendEvent, toWireEvents } from "./record.ts";
import type { Target } from "./target.ts";

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);
const EXPOSED = "WatchLLM-Event-Id, WatchLLM-Trace-Id, WatchLLM-Cache";

const decoder = new TextDecoder();
const parseJson = (bytes: Uint8Array | undefined): unknown => {
  if (!bytes?.byteLength) return undefined;
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    return undefined;
  }
};
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
/**
 * Yields to the event loop once, so the answer's last bytes leave before the recording's work (parsing, the queue
 * send) takes the isolate's thread: measured under wrangler dev, recording at once delayed the end of the answer by
 * several milliseconds.
 */
const afterAnswer = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Metadata worth keeping from the upstream's answer headers. */
function answerMetadata(headers: Headers): Record<string, unknown> {
  const id = headers.get("x-request-id") ?? headers.get("request-id");
  return id ? { upstream_request_id: id } : {};
}

/** The answer's headers: the upstream's (never its cookies: they would be set on WatchLLM's origin), plus ours. */
function answerHeaders(upstream: Headers, call: Call, cache: "HIT" | "MISS" | undefined, origin: string | null) {
  const headers = new Headers(upstream);
  headers.delete("set-cookie");
  headers.set("WatchLLM-Event-Id", call.eventId);
  headers.set("WatchLLM-Trace-Id", call.traceId);
  if (cache) headers.set("WatchLLM-Cache", cache);
  if (origin) headers.append("Access-Control-Expose-Headers", EXPOSED);
  return headers;
}

/** The unreachable-upstream error; on a local instance it names the variable that sets the upstream. */
function unreachable(target: Target, upstreamUrl: string, local: boolean): GatewayError {
  const upstream = new URL(upstreamUrl).origin;
  if (!local || !target.variable)
    return new GatewayError("watchllm_upstream_unreachable", "The upstream could not be reached.", { upstream });
  return new GatewayError(
    "watchllm_upstream_unreachable",
    `The upstream ${target.base} could not be reached. ${target.variable} sets it: restart \`npm start\` with ${target.variable}=<url> to use another (e.g. a local server).`,
    { upstream, variable: target.variable },
  );
}

/** Forwards one call to `target.base + rest` and answers with what the upstream said. */
export async function proxy(
  c: Context<AppEnv>,
  resolveTarget: (keyKind: string) => Target,
  rest: string,
): Promise<Response> {
  const startedAt = Date.now();
  const req = c.req.raw;
  const db = () => controlDb(c.env.DB);
  const key = await authenticate(db, req.headers.get("watchllm-auth") ?? undefined);
  const refusal = await admitIngest(c.env, key.projectId, 1, { gateway: true });
  if (refusal) throw new GatewayError(`watchllm_${refusal.code}`, refusal.message, refusal.details);
  const target = resolveTarget(key.kind);
  const options = readCallOptions(req.headers);
  const url = new URL(req.url);
  const upstreamUrl = `${target.base}${rest}${url.search}`;
  const headers = forwardHeaders(req.headers);
  const json = req.body !== null && isJsonRequest(req.headers);
  const bytes = json ? await readRequestBytes(req, GATEWAY_LIMITS.maxJsonRequestBytes) : undefined;
  const ctx = c.executionCtx;
  const logged = { project_id: key.projectId, request_id: requestIdOf(req) };
  ctx.waitUntil(touchCachedKey(db, key).catch((err) => log.error("gateway.key_touch_failed", err, logged)));

  const eventId = crypto.randomUUID();
  const call: Call = {
    eventId,
    // A named trace gets a root span whose event id is the trace id (record.ts), so the call needs its own.
    traceId: options.traceId ?? (options.traceName ? crypto.randomUUID() : eventId),
    projectId: key.projectId,
    provider: target.provider,
    endpoint: rest.replace(/^\/+|\/+$/g, "").replaceAll("/", ".") || "root",
    method: req.method,
    startedAt,
    options,
  };
  const request = () => {
    const parsed = parseJson(bytes);
    return isObject(parsed) ? parsed : undefined;
  };
  const record = async (outcome: Outcome) =>
    sendEvent(c.env, key.projectId, toWireEvents({ ...call, request: request() }, outcome)).catch((err) =>
      log.error("gateway.recording_failed", err, { ...logged, event_id: eventId }),
    );
  const origin = req.headers.get("origin");

  // The cache: only for JSON requests that don't ask for a stream.
  let cached: Request | undefined;
  if (options.cache.enabled && bytes && request()?.stream !== true) {
    cached = await cacheKey(url.origin, key.projectId, req.method, upstreamUrl, req.headers, bytes);
    const hit = await lookup(cached);
    if (hit) {
      const body = new Uint8Array(await hit.arrayBuffer());
      const now = Date.now();
      const extra = answerMetadata(hit.headers);
      ctx.waitUntil(
        afterAnswer().then(() =>
          record({
            endedAt: now,
            status: hit.status,
            ttftMs: now - startedAt,
            digest: digestJson(parseJson(body)),
            cacheHit: true,
            extra,
          }),
        ),
      );
      return new Response(body, {
        status: hit.status,
        statusText: hit.statusText,
        headers: answerHeaders(hit.headers, call, "HIT", origin),
      });
    }
  }

  let upstream: Response;
  try {
    upstream = await fetch(upstreamUrl, {
      method: req.method,
      headers,
      body: bytes ?? req.body,
      redirect: "manual",
      signal: AbortSignal.timeout(GATEWAY_LIMITS.maxCallMs),
    });
  } catch (err) {
    const timedOut = err instanceof Error && err.name === "TimeoutError";
    const failure = timedOut ? "watchllm_upstream_timeout" : `upstream unreachable: ${String(err)}`;
    ctx.waitUntil(record({ endedAt: Date.now(), failure }));
    const error = timedOut
      ? new GatewayError(
          "watchllm_upstream_timeout",
          `The upstream did not answer within ${GATEWAY_LIMITS.maxCallMs / 1000} s.`,
        )
      : unreachable(target, upstreamUrl, c.env.LOCAL_MODE === "true");
    // The call is recorded all the same: say where.
    const answer = gatewayErrorResponse(error);
    answer.headers.set("WatchLLM-Event-Id", call.eventId);
    answer.headers.set("WatchLLM-Trace-Id", call.traceId);
    return answer;
  }
  const headersAt = Date.now();
  if (upstream.status >= 300 && upstream.status < 400 && upstream.status !== 304) {
    // A client that follows a relayed redirect re-sends WatchLLM-Auth (and the provider key) to wherever it points.
    const location = upstream.headers.get("location");
    await upstream.body?.cancel();
    const failure = `watchllm_upstream_redirect: HTTP ${upstream.status} to ${location ?? "nowhere"}`;
    ctx.waitUntil(record({ endedAt: headersAt, status: upstream.status, ttftMs: headersAt - startedAt, failure }));
    const answer = gatewayErrorResponse(
      new GatewayError(
        "watchllm_upstream_redirect",
        `The upstream answered ${upstream.status}, a redirect; not followed.`,
        {
          status: upstream.status,
          location,
        },
      ),
    );
    answer.headers.set("WatchLLM-Event-Id", call.eventId);
    answer.headers.set("WatchLLM-Trace-Id", call.traceId);
    return answer;
  }
  const out = answerHeaders(upstream.headers, call, options.cache.enabled ? "MISS" : undefined, origin);
  const init = { status: upstream.status, statusText: upstream.statusText, headers: out };
  const extra = answerMetadata(upstream.headers);
  if (!upstream.body || NULL_BODY_STATUSES.has(upstream.status)) {
    ctx.waitUntil(record({ endedAt: headersAt, status: upstream.status, ttftMs: headersAt - startedAt, extra }));
    return new Response(null, init);
  }

  if ((upstream.headers.get("content-type") ?? "").includes("text/event-stream")) {
    const assembler = streamAssembler(GATEWAY_LIMITS.maxRecordedStreamChars);
    const parser = sseParser((data) => assembler.push(data));
    let firstChunkAt: number | undefined;
    let finished: (outcome: Outcome) => void = () => undefined;
    ctx.waitUntil(
      new Promise<Outcome>((resolve) => (finished = resolve)).then(async (outcome) => {
        await afterAnswer();
        await record(outcome);
      }),
    );
    const body = observeStream(
      upstream.body,
      (chunk) => {
        firstChunkAt ??= Date.now();
        try {
          parser.write(chunk);
        } catch {
          // recording is best effort; the client's stream is unaffected
        }
      },
      (failure) => {
        let digest: Digest = {};
        try {
          parser.end();
          digest = assembler.result();
        } catch {
          // as above
        }
        const endedAt = Date.now();
        finished({
          endedAt,
          status: upstream.status,
          ttftMs: (firstChunkAt ?? endedAt) - startedAt,
          ...(firstChunkAt !== undefined && { firstTokenMs: firstChunkAt - startedAt }),
          digest,
          failure,
          extra,
        });
      },
    );
    return new Response(body, init);
  }

  // A whole answer goes to the client as it comes (one tee branch, natively); the recording and the cache write read
  // the other branch, and start their work only once the answer is complete and has had its turn to leave.
  const [toClient, copy] = upstream.body.tee();
  ctx.waitUntil(
    readCopy(copy, GATEWAY_LIMITS.maxRecordedResponseBytes).then(async ({ bytes: answer, tooLarge, failure }) => {
      const endedAt = Date.now();
      await afterAnswer();
      const parsed = (upstream.headers.get("content-type") ?? "").includes("json") ? parseJson(answer) : undefined;
      const ok = upstream.status >= 200 && upstream.status < 300;
      const outcome: Outcome = {
        endedAt,
        status: upstream.status,
        ttftMs: headersAt - startedAt,
        digest: digestJson(parsed),
        failure,
        extra: tooLarge ? { ...extra, output_not_recorded: "larger than the recording limit" } : extra,
      };
      if (!ok && parsed !== undefined) outcome.errorBody = parsed;
      if (cached && ok && answer) {
        await store(
          cached,
          upstream.status,
          upstream.statusText,
          upstream.headers,
          answer,
          options.cache.ttlSeconds,
        ).catch((err) => log.error("gateway.cache_store_failed", err, logged));
      }
      await record(outcome);
    }),
  );
  return new Response(toClient, init);
}
