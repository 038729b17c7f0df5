// Sends one batch: up to `maxRetries` attempts, each with its own timeout; retries network errors, timeouts, 408,
// 429 (honouring Retry-After) and 5xx; reports, and does not retry, other answers (the events would fail again).
import type { Resolved } from "./options.ts";
import { WatchLLMError, type WireEvent, type WireScore } from "./types.ts";

/** What a batch carries: events (POST /api/v1/events) or scores (POST /api/v1/scores). */
export type Kind = "events" | "scores";
/** Hands a batch over without waiting for an answer (the page-exit path). */
export type HandOff = (o: Resolved, items: Array<WireEvent | WireScore>, kind: Kind) => void;
type Answer = { rejected?: unknown[]; error?: { message?: string } } | null;

/** true: delivered (or refused for good, and reported); false: give the batch back to the queue for a later flush. */
export async function send(o: Resolved, items: WireEvent[] | WireScore[], kind: Kind = "events"): Promise<boolean> {
  /** How messages count what was sent: `3 event(s)`, `1 score(s)`. */
  const count = (n: number) => `${n} ${kind.slice(0, -1)}(s)`;
  let wait = 0;
  for (let attempt = 0; attempt < o.maxRetries; attempt++) {
    // Backoff doubling from backoffMs, capped at 10 s, with jitter; at least what Retry-After said.
    if (attempt)
      await new Promise((r) =>
        setTimeout(r, Math.max(wait, Math.min(1e4, o.backoffMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2))),
      );
    try {
      const res = await o.fetch(`${o.baseUrl}/api/v1/${kind}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${o.apiKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({ [kind]: items }),
        signal: AbortSignal.timeout(o.timeoutMs),
      });
      const status = res.status;
      const body = (await res.json().catch(() => null)) as Answer;
      const rejected = body?.rejected;
      // Retry-After: seconds or an HTTP date. A longer one than a minute (a monthly quota used up says "next month")
      // is not slept through: the batch goes back to the queue.
      const after = res.headers.get("Retry-After");
      wait = (after && (Number(after) * 1000 || Date.parse(after) - Date.now())) || 0;
      const retry = status === 408 || status === 429 || status > 499;
      if (o.debug) console.debug(`WatchLLM: sent ${count(items.length)} to ${o.baseUrl}: HTTP ${status}`);
      if (res.ok) {
        if (rejected?.length)
          o.onError(new WatchLLMError("rejected", `${count(rejected.length)} rejected as invalid`, rejected));
        return true;
      }
      if (!retry || wait > 6e4) {
        o.onError(
          new WatchLLMError(
            `http_${status}`,
            (body?.error?.message ?? `ingest answered ${status}`) +
              (retry ? ` (retry after ${Math.round(wait / 1000)} s); kept for a later flush` : ""),
            body?.error,
          ),
        );
        return !retry;
      }
    } catch (err) {
      wait = 0;
      if (attempt === o.maxRetries - 1) o.onError(new WatchLLMError("network", `could not reach ${o.baseUrl}: ${err}`));
    }
  }
  return false;
}
