// Browsers: what is queued when the page is hidden or left, handed to keepalive fetch (sendBeacon where fetch throws;
// both post a string body as text/plain, which needs no CORS preflight, and ingest parses it as JSON),
// so the last second of a page's events is not lost. Opt-in (`flushOnPageExit(client)`): servers and Workers don't
// ship it.
import type { WatchLLMClient } from "./client.ts";
import type { HandOff } from "./transport.ts";

/** Fire-and-forget delivery while a page unloads: keepalive fetch in chunks within its 64 KB budget, else sendBeacon. */
export const sendOnExit: HandOff = (items, kind, base, key, fetcher) => {
  const url = `${base}/api/v1/${kind}?api_key=${encodeURIComponent(key)}`;
  /** Items in the wire format, comma-separated: what the next post carries. */
  let chunk = "";
  const post = () => {
    const body = `{"${kind}":[${chunk}]}`;
    try {
      void fetcher(url, { method: "POST", body, keepalive: true }).catch(() => undefined);
    } catch {
      globalThis.navigator?.sendBeacon?.(url, body);
    }
    chunk = "";
  };
  for (const item of items) {
    const json = JSON.stringify(item);
    if (chunk && chunk.length + json.length > 6e4) post();
    chunk += (chunk && ",") + json;
  }
  if (chunk) post();
};

/**
 * In a browser, sends what `client` has queued when the page is hidden or left (`visibilitychange`, `pagehide`):
 * `flushOnPageExit(createClient({ apiKey }))`. Returns a function that stops it. Does nothing outside a page.
 */
export function flushOnPageExit(client: WatchLLMClient): () => void {
  const g = globalThis as {
    document?: { visibilityState?: string };
    addEventListener?: (type: string, fn: (e: { type: string }) => void) => void;
    removeEventListener?: (type: string, fn: (e: { type: string }) => void) => void;
  };
  const onExit = (e: { type: string }) => {
    if (e.type === "pagehide" || g.document?.visibilityState === "hidden") client._handOff(sendOnExit);
  };
  const types = client.enabled && g.document ? ["visibilitychange", "pagehide"] : [];
  for (const type of types) g.addEventListener?.(type, onExit);
  return () => {
    for (const type of types) g.removeEventListener?.(type, onExit);
  };
}
