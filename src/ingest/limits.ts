// Ingest limits, chosen against Cloudflare's: Queue messages ≤ 128 KB, sendBatch ≤ 100 messages / 256 KB,
// D1 values ≤ 2 MB and ≤ 100 bound parameters per statement. README "Limits" lists them for users.
export const LIMITS = {
  /** Request body, compressed or not. */
  maxRequestBytes: 4 * 1024 * 1024,
  maxEventsPerRequest: 1000,
  /** A stored event (all fields, JSON) must fit one queue message with room to spare; bigger bodies are truncated. */
  maxEventBytes: 96 * 1024,
  /** context is indexed metadata, not payload: an event whose context is larger is rejected. */
  maxContextBytes: 8 * 1024,
  /** A queue message carries as many events as fit in this. */
  maxMessageBytes: 120 * 1024,
  /** One sendBatch call: at most this many messages and bytes. */
  maxSendBatchMessages: 100,
  maxSendBatchBytes: 250 * 1024,
  /** One D1 statement's JSON parameter (json_each) stays under D1's 2 MB value limit. */
  maxJsonParamBytes: 1800 * 1024,
} as const;
