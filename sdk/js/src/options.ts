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

/**
 * The options with their defaults applied, under internal names: `_`-prefixed properties are the SDK's own (the
 * package's build shortens them: `mangleProps` in scripts/build-sdk.ts), so each option's name is written once.
 */
export function resolve(options: ClientOptions) {
  const { onError, debug, apiKey, enabled = true } = options;
  const warned = new Set<string>();
  const o = {
    _url: (options.baseUrl ?? "https://api.watchllm.dev").replace(/\/+$/, ""),
    _key: apiKey,
    _flushAt: Math.min(1000, Math.max(1, options.flushAt ?? 50)),
    _flushMs: options.flushIntervalMs ?? 1000,
    _tries: Math.max(1, options.maxRetries ?? 3),
    _timeoutMs: options.timeoutMs ?? 5000,
    _maxQueue: options.maxQueueSize ?? 10_000,
    _backoffMs: options.backoffMs ?? 1000,
    /** Where and which version of the app every event comes from (under an event's own context), if known. */
    _env: clean({
      environment: options.environment ?? envVar("ENVIRONMENT"),
      release: options.release ?? envVar("RELEASE"),
    }),
    _fetch: options.fetch ?? (((...args) => fetch(...args)) as typeof fetch),
    _debug: debug,
    _on: enabled && !!apiKey,
    _onError: (error: WatchLLMError) => {
      const code = error.code;
      // The warning, once per code: the code, what happened, at which URL; the details (the server's reasons) beside it.
      if (debug || !(onError || warned.has(code)))
        console.warn(`WatchLLM ${code}: ${error.message} [${o._url}]`, error.details ?? "");
      warned.add(code);
      try {
        onError?.(error);
      } catch {
        // a throwing handler must not break delivery
      }
    },
  };
  // A missing key (often an environment variable not exported) turns recording off: say so, as the Python SDK does.
  if (enabled && !apiKey)
    o._onError(new WatchLLMError("no_api_key", "No apiKey: nothing recorded (is WATCHLLM_INGEST_KEY set?)"));
  return o;
}

export type Resolved = ReturnType<typeof resolve>;
