// OTLP attribute values as plain JSON values, plus the helpers the convention tables read them with.
import type { AnyValue, KeyValue } from "./gen/opentelemetry/proto/common/v1/common_pb.ts";

export type Attributes = Record<string, unknown>;

/** An int64 as a number when it is exactly representable, else as its decimal string (no precision is lost). */
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
export function int64Value(value: bigint): number | string {
  return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value.toString();
}

/** Deeper arrays and key-value lists than this are cut (no convention nests anywhere near it). */
export const MAX_DEPTH = 32;
/** What a value nested deeper than that becomes. */
export const TOO_DEEP = "[nested too deep]";

export function anyValue(value: AnyValue | undefined, depth = 0): unknown {
  const v = value?.value;
  if (depth > MAX_DEPTH) return TOO_DEEP;
  switch (v?.case) {
    case "stringValue":
    case "boolValue":
    case "doubleValue":
      return v.value;
    case "intValue":
      return int64Value(v.value);
    case "arrayValue":
      return v.value.values.map((item) => anyValue(item, depth + 1));
    case "kvlistValue":
      return attributes(v.value.values, depth + 1);
    case "bytesValue":
      return btoa(String.fromCharCode(...v.value));
    default:
      return null;
  }
}

/** Keys that would reach an object's prototype if assigned: never taken from a client. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export function attributes(list: readonly KeyValue[], depth = 0): Attributes {
  const out: Attributes = {};
  for (const kv of list) if (!UNSAFE_KEYS.has(kv.key)) out[kv.key] = anyValue(kv.value, depth);
  return out;
}

/** A string attribute that holds JSON (most conventions serialize messages this way) parsed, also inside arrays; other values as they are. */
export function parseJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(parseJson);
  if (typeof value !== "string") return value;
  const text = value.trim();
  if (
    !(text.startsWith("{") || text.startsWith("[") || (text.length > 1 && text.startsWith('"') && text.endsWith('"')))
  )
    return value;
  try {
    return JSON.parse(text);
  } catch {
    return value;
  }
}

export function toNumber(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

export function toText(value: unknown): string | undefined {
  if (typeof value === "string") return value || undefined;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** A list of strings from an array attribute or a JSON array string. */
export function toStrings(value: unknown): string[] | undefined {
  const parsed = parseJson(value);
  if (Array.isArray(parsed)) return parsed.map((item) => (typeof item === "string" ? item : JSON.stringify(item)));
  if (typeof parsed === "string" && parsed) return [parsed];
  return undefined;
}

/** A flattened key deeper than this many parts under its prefix is left out (no convention nests anywhere near it). */
const MAX_PATH_PARTS = 16;
const INDEX = /^\d{1,9}$/;

/** A node of the tree `unflatten` builds: its children by key, or a leaf value. */
type Node = Map<string, Node> | { leaf: unknown };

/** The tree as JSON: nodes whose keys are all indexes become arrays in index order (no holes, whatever the indexes). */
function toValue(node: Node): unknown {
  if (!(node instanceof Map)) return node.leaf;
  const keys = [...node.keys()];
  if (keys.every((k) => INDEX.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => toValue(node.get(k)!));
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = toValue(node.get(k)!);
  return out;
}

/**
 * Rebuilds flattened attributes under `prefix` into arrays and objects:
 * `llm.input_messages.0.message.role` = "user" under prefix `llm.input_messages` gives `[{ message: { role: "user" } }]`.
 * Indexes only order the items, at every level (`.10000.` makes one item, not 10,001 slots), and the work is linear in
 * the attributes' size. Returns undefined when no attribute has the prefix.
 */
export function unflatten(attrs: Attributes, prefix: string): unknown {
  const start = `${prefix}.`;
  let root: Map<string, Node> | undefined;
  for (const key in attrs) {
    if (!key.startsWith(start)) continue;
    const path = key.slice(start.length).split(".", MAX_PATH_PARTS + 1);
    // Unsafe keys could reach a prototype once the tree becomes objects.
    if (path.length > MAX_PATH_PARTS || path.some((part) => UNSAFE_KEYS.has(part))) continue;
    root ??= new Map();
    let node = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) {
        node.set(part, { leaf: attrs[key] });
        return;
      }
      const next = node.get(part);
      if (next instanceof Map) node = next;
      else {
        const child = new Map<string, Node>();
        node.set(part, child);
        node = child;
      }
    });
  }
  return root && toValue(root);
}

/** Keys of `attrs` that start with `prefix.` (or equal it). */
export function keysUnder(attrs: Attributes, prefix: string): string[] {
  return Object.keys(attrs).filter((key) => key === prefix || key.startsWith(`${prefix}.`));
}
