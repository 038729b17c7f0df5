// Sends one batch: up to `maxRetries` attempts, each with its own timeout; retries network errors, timeouts, 408,
// 429 (honouring Retry-After) and 5xx; reports, and does not retry, other answers (the events would fail again).
import type { Resolved } from "./options.ts";
import { WatchLLMError, type WireEvent, type WireScore } from "./types.ts";

/** What a batch carries: events (POST /api/v1/events) or scores (POST /api/v1/scores). */
type Kind = "events" | "scores";

const MAX_BACKOFF_MS = 10_000;
/** A longer Retry-After (a monthly quota used up says "next month") is not slept through: the batch goes back. */
const MAX_RETRY_AFTER_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Seconds or an HTTP date → milliseconds to wait. */
/** How messages count what was sent: `3 event(s)`, `1 score(s)`. */
const noun = (kind: Kind) => (kind === "events" ? "event(s)" : "score(s)");

function retryAfterMs(header: string | null): number {
  if (!header) return 0;
  const seconds = Number(header);
  return Number.isFinite(seconds) ? seconds * 1000 : Math.max(0, Date.parse(header) - Date.now()) || 0;
}

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

/** true: delivered (or refused for good, and reported); false: give the batch back to the queue for a later flush. */
export async function send(o: Resolved, items: WireEvent[] | WireScore[], kind: Kind = "events"): Promise<boolean> {
  let wait = 0;
  for (let attempt = 0; attempt < o.maxRetries; attempt++) {
    if (attempt)
      await sleep(
        Math.max(wait, Math.min(MAX_BACKOFF_MS, o.backoffMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2)),
      );
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), o.timeoutMs);
    try {
      const res = await o.fetch(`${o.baseUrl}/api/v1/${kind}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${o.apiKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({ [kind]: items }),
        signal: abort.signal,
      });
      const body = (await res.json().catch(() => null)) as {
        rejected?: unknown[];
        error?: { message?: string };
      } | null;
      if (o.debug) console.debug(`WatchLLM: sent ${items.length} ${noun(kind)} to ${o.baseUrl}: HTTP ${res.status}`);
      if (res.ok) {
        if (body?.rejected?.length)
          o.onError(
            new WatchLLMError("rejected", `${body.rejected.length} ${noun(kind)} rejected as invalid`, body.rejected),
          );
        return true;
      }
      if (!retryable(res.status)) {
        o.onError(
          new WatchLLMError(`http_${res.status}`, body?.error?.message ?? `ingest answered ${res.status}`, body?.error),
        );
        return true;
      }
      wait = retryAfterMs(res.headers.get("Retry-After"));
      if (wait > MAX_RETRY_AFTER_MS) {
        const seconds = Math.round(wait / 1000);
        const message = `${body?.error?.message ?? `ingest answered ${res.status}`} (retry after ${seconds} s)`;
        o.onError(new WatchLLMError(`http_${res.status}`, `${message}; kept for a later flush`, body?.error));
        return false;
      }
    } catch (err) {
      wait = 0;
      if (attempt === o.maxRetries - 1)
        o.onError(new WatchLLMError("network", `could not reach ${o.baseUrl}: ${String(err)}`));
    } finally {
      clearTimeout(timer);
    }
  }
  return false;
}

/** Fire-and-forget delivery while a page unloads: keepalive fetch (64 KB budget), else sendBeacon. */
export function sendOnExit(o: Resolved, items: Array<WireEvent | WireScore>, kind: Kind = "events") {
  if (!items.length) return;
  const url = `${o.baseUrl}/api/v1/${kind}?api_key=${encodeURIComponent(o.apiKey)}`;
  let chunk: Array<WireEvent | WireScore> = [];
  const post = (batch: Array<WireEvent | WireScore>) => {
    const body = JSON.stringify({ [kind]: batch });
    try {
      void o
        .fetch(url, { method: "POST", body, keepalive: true, headers: { "Content-Type": "text/plain" } })
        .catch(() => undefined);
    } catch {
      globalThis.navigator?.sendBeacon?.(url, body);
    }
  };
  let bytes = 0;
  for (const event of items) {
    const size = JSON.stringify(event).length + 1;
    if (bytes + size > 60_000 && chunk.length) {
      post(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(event);
    bytes += size;
  }
  if (chunk.length) post(chunk);
}
