// Client options with their defaults applied, and where delivery problems go: to the caller's `onError`, else one
// console warning per code (every one with `debug`), so a wrong key or an invalid event is never silent. What to do
// about each code: README.md, "Delivery guarantees".
import { type ClientOptions, WatchLLMError } from "./types.ts";

/** The object without its undefined fields (built anew: `delete` would slow every later read of it), or undefined. */
export const clean = <T extends object>(body: T): T | undefined => {
  let out: Record<string, unknown> | undefined;
  for (const k in body) {
    const v = (body as Record<string, unknown>)[k];
    if (v === undefined) continue;
    out ??= {};
    out[k] = v;
  }
  return out as T | undefined;
};

/** WATCHLLM_<name> from the process's environment, where there is one (Node, Bun, Deno with access; not browsers). */
function envVar(name: string): string | undefined {
  try {
    return (globalThis as { process?: { env: Record<string, string> } }).process?.env[`WATCHLLM_${name}`] || undefined;
  } catch {
    return undefined; // Deno without --allow-env throws
  }
}

/** What to do, for the two causes a newcomer meets first. */
const HINTS: Record<string, string> = {
  http_401: ": check apiKey and baseUrl",
  no_api_key: ": is WATCHLLM_INGEST_KEY set? (enabled: false stays quiet)",
};

export function resolve(options: ClientOptions) {
  const { onError, debug, apiKey } = options;
  const enabled = options.enabled !== false;
  const warned = new Set<string>();
  const o = {
    baseUrl: "https://api.watchllm.dev",
    flushAt: 50,
    flushIntervalMs: 1000,
    maxRetries: 3,
    timeoutMs: 5000,
    maxQueueSize: 10_000,
    backoffMs: 1000,
    environment: envVar("ENVIRONMENT"),
    release: envVar("RELEASE"),
    fetch: ((...args) => fetch(...args)) as typeof fetch,
    ...clean(options),
    debug,
    enabled: enabled && !!apiKey,
    onError: (error: WatchLLMError) => {
      const code = error.code;
      // The warning: the code, what happened (and the first rejected event's reason), at which URL, what to do.
      const d = error.details as { message?: unknown }[] | { details?: { rejected?: { message?: unknown }[] } };
      const first = (Array.isArray(d) ? d : d?.details?.rejected)?.[0]?.message;
      if (debug || !(onError || warned.has(code)))
        console.warn(
          `WatchLLM ${code}: ${error.message}${typeof first === "string" ? ` (first: ${first.slice(0, 300)})` : ""} [${o.baseUrl}]${HINTS[code] ?? ""}${debug || onError ? "" : " (once per code; see onError, debug)"}`,
        );
      warned.add(code);
      try {
        onError?.(error);
      } catch {
        // a throwing handler must not break delivery
      }
    },
  };
  o.baseUrl = o.baseUrl.replace(/\/+$/, "");
  o.flushAt = Math.min(1000, Math.max(1, o.flushAt));
  o.maxRetries = Math.max(1, o.maxRetries);
  // A missing key (often an environment variable not exported) turns recording off: say so, as the Python SDK does.
  if (enabled && !apiKey) o.onError(new WatchLLMError("no_api_key", "No apiKey: nothing will be recorded."));
  return o;
}

export type Resolved = ReturnType<typeof resolve>;
