// Keeps a span's metadata (unmapped attributes, resource, scope) within its share of the 8 KB context limit.
import { nestsDeeper } from "../../contract/json.ts";
import type { Attributes } from "./attributes.ts";
import { OTLP_LIMITS } from "./limits.ts";

const MARK = "…[truncated by WatchLLM]";
const encoder = new TextEncoder();
const size = (value: unknown) => encoder.encode(JSON.stringify(value) ?? "null").byteLength;
/** Room kept for the truncation marker and the names of up to 20 dropped keys. */
const RESERVE_BYTES = 20 * 70 + 64;

const TOO_DEEP = "[nested too deep]";

/** A copy with strings longer than `maxChars` clipped and values deeper than `maxDepth` replaced by a marker. */
function clipStrings(value: unknown, maxChars: number, maxDepth: number = OTLP_LIMITS.metadataDepth): unknown {
  if (typeof value === "string") return value.length > maxChars ? value.slice(0, maxChars) + MARK : value;
  if (value === null || typeof value !== "object") return value;
  if (maxDepth <= 0) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((item) => clipStrings(item, maxChars, maxDepth - 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clipStrings(v, maxChars, maxDepth - 1)]));
}

/**
 * The characters left of `maxChars` once `value`'s JSON is written, counting every string character as a 6-character
 * escape and every scalar as 24; negative when that bound exceeds `maxChars` or the value nests deeper than `depth`
 * levels. One walk, which stops as soon as either is exceeded.
 */
function charsLeft(value: unknown, maxChars: number, depth: number): number {
  if (typeof value === "string") return maxChars - 2 - 6 * value.length;
  if (value === null || typeof value !== "object") return maxChars - 24; // numbers, booleans, null
  if (depth <= 0) return -1;
  let left = maxChars - 2;
  if (Array.isArray(value)) {
    for (const item of value) {
      left = charsLeft(item, left - 1, depth - 1);
      if (left < 0) return -1;
    }
    return left;
  }
  for (const key in value) {
    left = charsLeft((value as Attributes)[key], left - 4 - 6 * key.length, depth - 1); // quotes, colon and comma
    if (left < 0) return -1;
  }
  return left;
}

/**
 * The metadata if it fits `maxBytes`; else long strings clipped and, if that is not enough, the largest keys dropped
 * (the smallest are kept, so as many as possible survive), marked `"watchllm.truncated": true` with the dropped
 * keys' names; values nested deeper than `OTLP_LIMITS.metadataDepth` are cut. Each key's size is measured once, so
 * thousands of attributes cost no more than their bytes.
 * Undefined when there is none.
 */
export function boundMetadata(metadata: Attributes, maxBytes: number): Attributes | undefined {
  const keys = Object.keys(metadata);
  if (!keys.length) return undefined;
  // Most spans' metadata is small and flat: one walk proves it fits, without writing it out (UTF-8 takes at most 3
  // bytes per JSON character).
  if (charsLeft(metadata, Math.floor(maxBytes / 3), OTLP_LIMITS.metadataDepth) >= 0) return metadata;
  // Depth first, by a check that stops at the limit: JSON.stringify overflows the stack on values nested thousands deep.
  if (nestsDeeper(metadata, OTLP_LIMITS.metadataDepth)) {
    metadata = clipStrings(metadata, Number.POSITIVE_INFINITY) as Attributes;
  }
  if (JSON.stringify(metadata).length * 3 <= maxBytes || size(metadata) <= maxBytes) return metadata;
  const clipped = clipStrings(metadata, OTLP_LIMITS.metadataStringChars) as Attributes;
  if (size(clipped) <= maxBytes) return { ...clipped, "watchllm.truncated": true };
  const sized = keys
    .map((key) => ({ key, bytes: size(key) + size(clipped[key]) + 2 }))
    .sort((a, b) => a.bytes - b.bytes);
  const kept = new Set<string>();
  let total = 2;
  for (const { key, bytes } of sized) {
    if (total + bytes > maxBytes - RESERVE_BYTES) break;
    kept.add(key);
    total += bytes;
  }
  const out: Attributes = {};
  for (const key of keys) if (kept.has(key)) out[key] = clipped[key];
  out["watchllm.truncated"] = true;
  out["watchllm.dropped_keys"] = keys
    .filter((key) => !kept.has(key))
    .slice(0, 20)
    .map((key) => key.slice(0, 64));
  return out;
}
