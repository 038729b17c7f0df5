// JSON.parse of a large OTLP JSON export in pieces of at most `PIECE_BYTES`, with the same result: V8 keeps a string
// over ~128 KB in its large-object space, and making one from a 400 KB body cost as much CPU as parsing it (1.5–2 ms
// per 500 spans; issue 29). One pass over the bytes finds each `spans` (or `logRecords`) array of a scope object
// (depth 5: body → resourceSpans[] → {} → scopeSpans[] → {}) and its top-level commas; the rest of the body is parsed
// with a number in each array's place, the arrays in groups of whole items, and the groups put back. Anything the pass
// does not expect (such a key whose value is not an array, an escaped key in a scope object, an unclosed string or
// array, a group that does not parse to items) returns undefined and the caller parses the body whole, so invalid JSON fails with the same error as before.

/** Bodies below this are parsed whole (their string is not a large object). */
const SPLIT_FROM_BYTES = 64 * 1024;
/** A group of items is cut once it reaches this many bytes. */
const PIECE_BYTES = 32 * 1024;
/**
 * More arrays than this (an export has one per scope) and the body is parsed whole: a hostile body of thousands of tiny
 * arrays would cost a parse and a decode each.
 */
const MAX_ARRAYS = 256;
/** The depth of a scope object (the body's object is depth 1). */
const SCOPE_DEPTH = 5;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const isSpace = (byte: number | undefined) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** What the whole-body decode does with a byte-order mark (drops it); the pieces keep any other one, as JSON.parse sees it. */
const pieceText = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

/**
 * The index of the quote that closes the string opening at `open`; -1 when it is not closed. A plain loop: most of a
 * body's bytes are in strings, most strings are short, and a native search per string cost more than it saved.
 */
function stringEnd(bytes: Uint8Array, open: number): number {
  for (let at = open + 1; at < bytes.length; at++) {
    const byte = bytes[at];
    if (byte === QUOTE) return at;
    if (byte === BACKSLASH) at += 1;
  }
  return -1;
}

/** Whether the string between `open` and `close` (its quotes) is `key`, byte for byte. */
function isKey(bytes: Uint8Array, open: number, close: number, key: Uint8Array): boolean {
  if (close - open - 1 !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (bytes[open + 1 + i] !== key[i]) return false;
  return true;
}

/** One array found: where it opens and closes, and where each group of its items ends (a top-level comma or the close). */
type Found = { open: number; close: number; cuts: number[] };

/** The arrays under `key` in scope objects, or undefined when the body holds something this pass does not expect. */
function findArrays(bytes: Uint8Array, start: number, key: Uint8Array): Found[] | undefined {
  const found: Found[] = [];
  const isObject: boolean[] = [];
  let depth = 0;
  let expectKey = false;
  let current: Found | undefined; // the array being read, at depth SCOPE_DEPTH + 1
  let groupStart = 0;
  for (let i = start; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === QUOTE) {
      const close = stringEnd(bytes, i);
      if (close < 0) return undefined;
      const scopeKey = expectKey && depth === SCOPE_DEPTH && isObject[SCOPE_DEPTH - 1] === true;
      // An escaped key could spell `key` without this pass seeing it.
      if (scopeKey && bytes.subarray(i + 1, close).includes(BACKSLASH)) return undefined;
      if (scopeKey && isKey(bytes, i, close, key)) {
        let next = close + 1;
        while (isSpace(bytes[next])) next += 1;
        if (bytes[next] !== COLON) return undefined;
        next += 1;
        while (isSpace(bytes[next])) next += 1;
        if (bytes[next] !== OPEN_ARRAY) return undefined;
        current = { open: next, close: -1, cuts: [] };
        groupStart = next;
        i = next - 1; // the loop reads the `[` next
      } else i = close;
      expectKey = false;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (depth < SCOPE_DEPTH) isObject[depth] = byte === OPEN_OBJECT;
      depth += 1;
      expectKey = byte === OPEN_OBJECT;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      depth -= 1;
      if (depth < 0) return undefined;
      if (current && depth === SCOPE_DEPTH) {
        if (byte !== CLOSE_ARRAY) return undefined;
        current.close = i;
        current.cuts.push(i);
        found.push(current);
        if (found.length > MAX_ARRAYS) return undefined;
        current = undefined;
      }
      expectKey = false;
    } else if (byte === COMMA) {
      if (current && depth === SCOPE_DEPTH + 1 && i - groupStart >= PIECE_BYTES) {
        current.cuts.push(i);
        groupStart = i;
      }
      expectKey = depth === SCOPE_DEPTH && isObject[SCOPE_DEPTH - 1] === true;
    }
  }
  return current || depth !== 0 ? undefined : found;
}

/** The items of one found array, parsed group by group; undefined unless every group parses to whole items. */
function parseItems(bytes: Uint8Array, array: Found): unknown[] | undefined {
  let items: unknown[] = [];
  let from = array.open + 1;
  for (const cut of array.cuts) {
    const group = JSON.parse(`[${pieceText.decode(bytes.subarray(from, cut))}]`) as unknown[];
    // An empty group beside others is a stray comma (`[a,]`), which the whole body would not parse.
    if (!group.length && array.cuts.length > 1) return undefined;
    items = items.length ? items.concat(group) : group;
    from = cut + 1;
  }
  return items;
}

/** Puts each parsed array back where its number stands, in the scope objects (depth 5) of the parsed rest. */
function putBack(node: unknown, depth: number, key: string, arrays: unknown[][]): void {
  if (typeof node !== "object" || node === null) return;
  if (depth === SCOPE_DEPTH) {
    const value = (node as Record<string, unknown>)[key];
    if (!Array.isArray(node) && typeof value === "number") (node as Record<string, unknown>)[key] = arrays[value];
    return;
  }
  for (const child of Array.isArray(node) ? node : Object.values(node)) putBack(child, depth + 1, key, arrays);
}

/**
 * The body parsed as JSON, as `JSON.parse(new TextDecoder().decode(bytes))` parses it, reading its `key` arrays in
 * pieces; undefined when it is small, holds no such array, or is not what the pass expects (parse it whole then).
 */
export function parseInPieces(bytes: Uint8Array, key: "spans" | "logRecords"): unknown {
  if (bytes.length < SPLIT_FROM_BYTES) return undefined;
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const found = findArrays(bytes, start, new TextEncoder().encode(key));
  if (!found?.length) return undefined;
  try {
    const arrays: unknown[][] = [];
    let rest = "";
    let from = start;
    for (const array of found) {
      const items = parseItems(bytes, array);
      if (!items) return undefined;
      rest += `${pieceText.decode(bytes.subarray(from, array.open))}${arrays.length}`;
      arrays.push(items);
      from = array.close + 1;
    }
    const parsed: unknown = JSON.parse(rest + pieceText.decode(bytes.subarray(from)));
    putBack(parsed, 1, key, arrays);
    return parsed;
  } catch {
    return undefined;
  }
}
