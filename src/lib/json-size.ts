// Byte sizes of JSON text and the body truncation that keeps an event within its size limit.
const encoder = new TextEncoder();

export function byteLength(text: string): number {
  return encoder.encode(text).byteLength;
}

const MARK = "…[truncated by WatchLLM]";

/** The JSON text of `value` with strings longer than `maxChars` clipped (JSON.stringify walks it; depth is bounded at ingest). */
const clipStrings = (value: unknown, maxChars: number) =>
  JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "string" && v.length > maxChars ? v.slice(0, maxChars) + MARK : v,
  );

/**
 * Returns `json` if it fits `maxBytes`, else a smaller JSON text of the same value: long strings are clipped
 * (keeping the shape, so input/output stay readable) and, if that is not enough, replaced by a preview object.
 */
export function truncateJson(json: string, maxBytes: number): { json: string; truncated: boolean } {
  // n UTF-16 units are at most 3n UTF-8 bytes: most bodies fit without being encoded.
  if (json.length * 3 <= maxBytes) return { json, truncated: false };
  const size = byteLength(json);
  if (size <= maxBytes) return { json, truncated: false };
  const value: unknown = JSON.parse(json);
  for (let maxChars = Math.floor(maxBytes / 4); maxChars >= 64; maxChars = Math.floor(maxChars / 2)) {
    const clipped = clipStrings(value, maxChars);
    if (byteLength(clipped) <= maxBytes) return { json: clipped, truncated: true };
  }
  const previewChars = Math.max(0, Math.floor(maxBytes / 3) - 200);
  const preview = JSON.stringify({ _truncated: true, original_bytes: size, preview: json.slice(0, previewChars) });
  return { json: preview, truncated: true };
}
