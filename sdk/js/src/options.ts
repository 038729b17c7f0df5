// Client options with their defaults applied.
import { reporter } from "./report.ts";
import { type ClientOptions, WatchLLMError } from "./types.ts";

/** WATCHLLM_<name> from the process's environment, where there is one (Node, Bun, Deno with access; not browsers). */
function envVar(name: string): string | undefined {
  try {
    return (globalThis as { process?: { env: Record<string, string> } }).process?.env[`WATCHLLM_${name}`] || undefined;
  } catch {
    return undefined; // Deno without --allow-env throws
  }
}

export function resolve(options: ClientOptions) {
  const baseUrl = (options.baseUrl ?? "https://api.watchllm.dev").replace(/\/+$/, "");
  const onError = reporter(options, baseUrl);
  // A missing key (often an environment variable not exported) turns recording off: say so, as the Python SDK does.
  if (options.enabled !== false && !options.apiKey)
    onError(new WatchLLMError("no_api_key", "No apiKey: nothing will be recorded."));
  return {
    environment: options.environment ?? envVar("ENVIRONMENT"),
    release: options.release ?? envVar("RELEASE"),
    apiKey: options.apiKey ?? "",
    baseUrl,
    flushAt: Math.min(1000, Math.max(1, options.flushAt ?? 50)),
    flushIntervalMs: options.flushIntervalMs ?? 1000,
    maxRetries: Math.max(1, options.maxRetries ?? 3),
    timeoutMs: options.timeoutMs ?? 5000,
    maxQueueSize: options.maxQueueSize ?? 10_000,
    backoffMs: options.backoffMs ?? 1000,
    onError,
    debug: options.debug === true,
    fetch: options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args)),
    enabled: options.enabled !== false && Boolean(options.apiKey),
  };
}

export type Resolved = ReturnType<typeof resolve>;
