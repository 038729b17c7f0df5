// Sends one batch: up to `maxRetries` attempts, each with its own timeout; retries network errors, timeouts, 408,
// 429 (honouring Retry-After) and 5xx; reports, and does not retry, other answers (the events would fail again).
/** What a batch carries: events (POST /api/v1/events) or scores (POST /api/v1/scores). */
export type Kind = "events" | "scores";
/** Hands a batch (events and scores as queued: `JSON.stringify` makes them the wire format) to the client's URL with
 * its key and fetch, without waiting for an answer (the page-exit path). */
export type HandOff = (items: unknown[], kind: Kind, url: string, key: string, fetcher: typeof fetch) => void;
/** true: delivered (or refused for good, and reported); false: give the batch back to the queue for a later flush. */
export type Send = (items: unknown[], kind: Kind) => Promise<boolean>;
/** Reports a delivery problem (a `WatchLLMError` of this code, message and details) to the client's `onError`. */
export type Report = (code: string, message: string, details?: unknown) => void;
type Answer = { rejected?: { message: string }[]; error?: { message?: string } } | null;

/** The client's `send`, over its options (parameters, not an options object: what the bundle repeats is shorter). */
export const sender =
  (
    url: string,
    key: string | undefined,
    fetcher: typeof fetch,
    tries: number,
    backoffMs: number,
    timeoutMs: number,
    debug: boolean | undefined,
    report: Report,
  ): Send =>
  async (items, kind) => {
    let wait = 0;
    for (let attempt = 0; attempt < tries; attempt++) {
      // Backoff doubling from backoffMs, capped at 10 s, with jitter; at least what Retry-After said.
      if (attempt)
        await new Promise((r) =>
          setTimeout(r, Math.max(wait, Math.min(1e4, backoffMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2))),
        );
      try {
        const res = await fetcher(`${url}/api/v1/${kind}`, {
          method: "POST",
          // No Content-Type: a string body goes as text/plain, which ingest reads as JSON (as the page-exit path's).
          headers: { Authorization: `Bearer ${key}` },
          body: JSON.stringify({ [kind]: items }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const status = res.status;
        const body = (await res.json().catch(() => null)) as Answer;
        const rejected = body?.rejected;
        // Retry-After: seconds or an HTTP date. A longer one than a minute (a monthly quota used up says "next month")
        // is not slept through: the batch goes back to the queue.
        const after = res.headers.get("Retry-After");
        wait = (after && (Number(after) * 1000 || Date.parse(after) - Date.now())) || 0;
        const retry = status === 408 || status === 429 || status > 499;
        if (debug) console.debug(`WatchLLM sent ${items.length} ${kind}: HTTP ${status}`);
        if (res.ok) {
          // The server's reasons are in `details`; the first one is in the message.
          if (rejected?.length)
            report(
              "rejected",
              `${rejected.length} of ${items.length} ${kind} rejected: ${rejected[0]!.message}`,
              rejected,
            );
          return true;
        }
        if (!retry || wait > 6e4) {
          report(
            `http_${status}`,
            (body?.error?.message ?? `HTTP ${status}`) + (retry ? `; retry after ${wait / 1000} s` : ""),
            body?.error,
          );
          return !retry;
        }
      } catch (err) {
        wait = 0;
        if (attempt === tries - 1) report("network", String(err));
      }
    }
    return false;
  };
