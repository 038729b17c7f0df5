// Where delivery problems go: to the caller's `onError`, else one console warning per cause (every one with `debug`),
// so a wrong key or an invalid event is never silent.
import type { ClientOptions, WatchLLMError } from "./types.ts";

const HINTS: Record<string, string> = {
  http_401: "check the apiKey (a project's ingest or secret key from Settings, e.g. WATCHLLM_INGEST_KEY) and baseUrl",
  no_api_key: "is WATCHLLM_INGEST_KEY set for this process? (enabled: false turns recording off quietly)",
  http_403: "this key may not send to this project",
  http_400: "the events were not recorded; fix what the message names",
  rejected: "those events were not recorded; fix what the message names",
  network: "events stay queued and are retried at the next flush",
};

/** The warning printed for `error`: what happened, at which URL, and what to do. */
export function describeError(error: WatchLLMError, baseUrl: string): string {
  const first = firstRejection(error.details);
  const what = first ? `${error.message} (first: ${first})` : error.message;
  const hint = HINTS[error.code];
  return `WatchLLM: ${what} [${error.code}, ${baseUrl}]${hint ? `: ${hint}.` : ""}`;
}

function firstRejection(details: unknown): string | undefined {
  const list = Array.isArray(details) ? details : (details as { details?: { rejected?: unknown } })?.details?.rejected;
  const first = Array.isArray(list) ? (list[0] as { message?: unknown } | undefined) : undefined;
  return typeof first?.message === "string" ? first.message.slice(0, 300) : undefined;
}

/** The client's error sink: `onError` when given (never allowed to throw into delivery), else console warnings. */
export function reporter(options: ClientOptions, baseUrl: string): (error: WatchLLMError) => void {
  const { onError, debug } = options;
  if (onError)
    return (error) => {
      if (debug) console.warn(describeError(error, baseUrl));
      try {
        onError(error);
      } catch {
        // a throwing handler must not break delivery
      }
    };
  const warned = new Set<string>();
  return (error) => {
    if (!debug && warned.has(error.code)) return;
    warned.add(error.code);
    const more = debug ? "" : " (printed once per kind; pass onError to handle these yourself, debug: true to see all)";
    console.warn(describeError(error, baseUrl) + more);
  };
}
