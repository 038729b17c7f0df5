// Finished traces from the Cache API. A trace none of whose events was written in the last QUIET_MS has likely stopped
// changing; its answer is cached under its project, id and summary version (updated_at and span count). A later event
// gives the trace a new version, so the old entry is never read again; and the project is part of every key. A hit
// skips the events query: the summary row, read for the version, is the request's only D1 read.
import type { Context } from "hono";
import type { TraceRow } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { MINUTE_MS } from "../lib/time.ts";

const QUIET_MS = MINUTE_MS;
const TTL_SECONDS = 3_600;

const keyOf = (t: TraceRow, variant: string) =>
  new Request(
    `https://trace-cache.watchllm.invalid/${encodeURIComponent(t.projectId)}/${encodeURIComponent(t.traceId)}/${t.updatedAt}.${t.spanCount}.${variant}`,
  );

/**
 * The answer's JSON text: from the cache for a finished trace (streamed as stored, never decoded: a 10,000-span tree is
 * megabytes), else built (and cached when finished).
 */
export async function traceAnswerText(
  c: Context<AppEnv>,
  trace: TraceRow,
  variant: string,
  build: () => Promise<unknown>,
): Promise<string | ReadableStream<Uint8Array>> {
  const finished = Date.now() - trace.updatedAt > QUIET_MS;
  if (!finished) {
    c.header("WatchLLM-Cache", "BYPASS");
    return JSON.stringify(await build());
  }
  // Workers' default cache (the DOM typing of `caches`, pulled in by a dependency's types, lacks `default`).
  const cache = (caches as unknown as { default: Cache }).default;
  const key = keyOf(trace, variant);
  // A request that says `Cache-Control: no-cache` is answered fresh (and refreshes the entry), as HTTP caches do.
  const fresh = /\bno-(cache|store)\b/i.test(c.req.header("Cache-Control") ?? "");
  const hit = fresh ? undefined : await cache.match(key);
  if (hit?.body) {
    c.header("WatchLLM-Cache", "HIT");
    return hit.body;
  }
  const text = JSON.stringify(await build());
  const stored = new Response(text, {
    headers: { "Content-Type": "application/json", "Cache-Control": `max-age=${TTL_SECONDS}` },
  });
  c.executionCtx.waitUntil(cache.put(key, stored));
  c.header("WatchLLM-Cache", "MISS");
  return text;
}
