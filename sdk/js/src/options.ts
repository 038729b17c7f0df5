// Client options with their defaults applied.
import { reporter } from "./report.ts";
import type { ClientOptions } from "./types.ts";

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
    onError: reporter(options, baseUrl),
    debug: options.debug === true,
    fetch: options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args)),
    enabled: options.enabled !== false && Boolean(options.apiKey),
  };
}

export type Resolved = ReturnType<typeof resolve>;
