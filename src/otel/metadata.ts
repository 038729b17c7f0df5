// Keeps a span's metadata (unmapped attributes, resource, scope) within its share of the 8 KB context limit.
import type { Attributes } from "./attributes.ts";
import { OTLP_LIMITS } from "./limits.ts";

const MARK = "…[truncated by WatchLLM]";
const encoder = new TextEncoder();
const size = (value: unknown) => encoder.encode(JSON.stringify(value)).byteLength;

function clipStrings(value: unknown, maxChars: number): unknown {
  if (typeof value === "string") return value.length > maxChars ? value.slice(0, maxChars) + MARK : value;
  if (Array.isArray(value)) return value.map((item) => clipStrings(item, maxChars));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clipStrings(v, maxChars)]));
  return value;
}

/**
 * The metadata if it fits `maxBytes`; else long strings clipped and then the largest keys dropped until it fits,
 * marked `"watchllm.truncated": true` with the dropped keys' names. Undefined when there is none.
 */
export function boundMetadata(metadata: Attributes, maxBytes: number): Attributes | undefined {
  if (!Object.keys(metadata).length) return undefined;
  if (JSON.stringify(metadata).length * 3 <= maxBytes || size(metadata) <= maxBytes) return metadata;
  const clipped = clipStrings(metadata, OTLP_LIMITS.metadataStringChars) as Attributes;
  const out: Attributes = { ...clipped, "watchllm.truncated": true };
  const sizes = new Map(Object.keys(clipped).map((key) => [key, size(clipped[key])]));
  const bySize = [...sizes.keys()].sort((a, b) => sizes.get(b)! - sizes.get(a)!);
  const dropped: string[] = [];
  for (const key of bySize) {
    if (size(out) <= maxBytes) break;
    delete out[key];
    dropped.push(key.slice(0, 64));
    out["watchllm.dropped_keys"] = dropped.slice(0, 20);
  }
  return out;
}
