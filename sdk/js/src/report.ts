// Where delivery problems go: to the caller's `onError`, else one console warning per code (every one with `debug`),
// so a wrong key or an invalid event is never silent. What to do about each code: README.md, "Delivery guarantees".
import type { ClientOptions, WatchLLMError } from "./types.ts";

/** What to do, for the two causes a newcomer meets first. */
const HINTS: Record<string, string> = {
  http_401: ": check apiKey and baseUrl",
  no_api_key: ": is WATCHLLM_INGEST_KEY set? (enabled: false stays quiet)",
};

/** The warning printed for `error`: its code, what happened (and the first rejected event's reason), at which URL. */
export function describeError(error: WatchLLMError, baseUrl: string): string {
  const d = error.details as { message?: unknown }[] | { details?: { rejected?: { message?: unknown }[] } } | undefined;
  const first = (Array.isArray(d) ? d : d?.details?.rejected)?.[0]?.message;
  return `WatchLLM ${error.code}: ${error.message}${typeof first === "string" ? ` (first: ${first.slice(0, 300)})` : ""} [${baseUrl}]${HINTS[error.code] ?? ""}`;
}

/** The client's error sink: `onError` when given (never allowed to throw into delivery), else console warnings. */
export function reporter({ onError, debug }: ClientOptions, baseUrl: string): (error: WatchLLMError) => void {
  const warned = new Set<string>();
  return (error) => {
    if (debug || (!onError && !warned.has(error.code)))
      console.warn(describeError(error, baseUrl) + (debug || onError ? "" : " (once per code; see onError, debug)"));
    warned.add(error.code);
    try {
      onError?.(error);
    } catch {
      // a throwing handler must not break delivery
    }
  };
}
