// The gateway's limits (docs/gateway.md "Limits" lists them for users).
export const GATEWAY_LIMITS = {
  /** A JSON request body is read whole (to record its input and, with caching, to hash it); larger ones get a 413. */
  maxJsonRequestBytes: 32 * 1024 * 1024,
  /** A whole call, streamed or not: past it the upstream request is cancelled and the client's stream ends in an error. */
  maxCallMs: 15 * 60_000,
  /** Non-streamed answers larger than this pass through untouched but are neither parsed for the recording nor cached. */
  maxRecordedResponseBytes: 16 * 1024 * 1024,
  /** Streamed output kept for the recording (the stored event is truncated to the ingest limit anyway). */
  maxRecordedStreamChars: 512 * 1024,
  /** The key lookup is cached per isolate this long: a revoked key stops working within this (documented: 60 s). */
  keyCacheMs: 30_000,
  keyCacheEntries: 1_000,
  /** WatchLLM-Cache-TTL: default and maximum, seconds. */
  cacheTtlDefaultSeconds: 3_600,
  cacheTtlMaxSeconds: 7 * 86_400,
} as const;
