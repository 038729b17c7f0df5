// OTLP ingest limits beyond the native ones (contract/limits.ts): README/docs "OpenTelemetry" lists them for users.
export const OTLP_LIMITS = {
  /** Spans taken from one export; the rest are rejected (counted in partialSuccess). */
  spansPerExport: 10_000,
  /** Log records taken from one export; the rest are rejected (counted in partialSuccess). */
  logRecordsPerExport: 10_000,
  /** `error`/`log` children made from one span's events; more are counted in metadata `otel.events_dropped`. */
  childEventsPerSpan: 16,
  /** Room left in `context` (8 KB) for the user, session and tags beside the metadata. */
  contextMarginBytes: 256,
  /** Resource attributes read per resource (the rest are ignored); metadata keeps at most `resourceBytes` of them. */
  resourceAttributes: 1_000,
  resourceBytes: 2_048,
  /** Metadata nested deeper than this is cut (its deeper values become a marker). */
  metadataDepth: 32,
  /** A metadata string longer than this is clipped before keys are dropped. */
  metadataStringChars: 512,
  /** Seconds a client is asked to wait after a 503. */
  retryAfterSeconds: 5,
} as const;
