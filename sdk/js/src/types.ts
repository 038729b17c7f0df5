// The client's options and errors; the wire format comes from the contract (contract.gen.ts).

export type {
  EventType,
  Usage,
  WireEvent,
  WireScore,
} from "./contract.gen.ts";

export type ClientOptions = {
  /** An ingest key (`wl_ingest_…`, safe in browsers) or a secret key. No key: the client is a no-op. */
  apiKey?: string;
  /** Default `https://api.watchllm.dev`; your own deployment's URL when self-hosting. */
  baseUrl?: string;
  /** Send when this many events are queued (default 50; at most 1,000). */
  flushAt?: number;
  /** …or this often (default 1,000 ms). */
  flushIntervalMs?: number;
  /** Attempts per send (default 3), with backoff 1 s → 2 s → 4 s (± jitter, capped at 10 s) between them. */
  maxRetries?: number;
  /** Per attempt (default 5,000 ms). */
  timeoutMs?: number;
  /** Queued events kept while the service is unreachable (default 10,000); beyond it the oldest are dropped. */
  maxQueueSize?: number;
  /** Delivery problems (never thrown into your code). Without it, each kind is printed once with `console.warn`. */
  onError?: (error: WatchLLMError) => void;
  /** Print every delivery problem and a line per batch sent (`console.debug`). Default false. */
  debug?: boolean;
  /** Your own fetch (e.g. a mocked or instrumented one). */
  fetch?: typeof fetch;
  /** `false` turns the client into a cheap no-op. */
  enabled?: boolean;
  /** First backoff delay (default 1,000 ms); lower it in tests. */
  backoffMs?: number;
  /** Where the app runs (`production`, `staging`), set on every event; default: the WATCHLLM_ENVIRONMENT variable. */
  environment?: string;
  /** The app's version or deploy (e.g. a git sha), set on every event; default: the WATCHLLM_RELEASE variable. */
  release?: string;
};

/** What went wrong: `code` is `network`, `http_<status>`, `rejected` (invalid events), `dropped` (queue full) or `internal`. */
export class WatchLLMError extends Error {
  declare readonly code: string;
  declare readonly details: unknown;
  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = "WatchLLMError";
    this.code = code;
    this.details = details;
  }
}
