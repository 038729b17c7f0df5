// Mergeable latency histograms in the style of DDSketch: a value x > 0 falls in bucket ceil(log_γ x), whose
// representative 2γ^i/(γ+1) is within RELATIVE_ERROR of every value in it; 0 has a bucket of its own. A sketch is a
// plain object of bucket index → count, merged by adding counts, so the rollups of any range, grouping or database add up
// to the sketch of all their events. Stored as text in two forms, both read by `addSketchText`: a JSON object
// `{"<bucket>":count,…}` (minute and hour rollups, merged in SQL by the consumer) and a flat JSON array of pairs
// `[bucket,count,bucket,count,…]` (day rollups), which parses without building an object per row.

/** Any percentile read from a sketch is within this relative error of the exact nearest-rank value (0.5%, under 1%). */
export const RELATIVE_ERROR = 0.005;
const GAMMA = (1 + RELATIVE_ERROR) / (1 - RELATIVE_ERROR);
const LN_GAMMA = Math.log(GAMMA);
/** The bucket of 0 (and of anything not positive). */
export const ZERO_BUCKET = -32768;

export type Sketch = Record<string, number>;

/** The bucket of a value, in SQL: `x` is a column or expression (the consumer bins in SQL, the reader in JS: both use ln). */
export const bucketSql = (x: string) => `iif(${x} > 0, CAST(ceil(ln(${x}) / ${LN_GAMMA}) AS INTEGER), ${ZERO_BUCKET})`;

/** The bucket of a value. */
export const bucketOf = (x: number) => (x > 0 ? Math.ceil(Math.log(x) / LN_GAMMA) : ZERO_BUCKET);

/** The value a bucket stands for. */
export const bucketValue = (i: number) => (i === ZERO_BUCKET ? 0 : (2 * GAMMA ** i) / (GAMMA + 1));

/** Adds `from` into `into` (in place) and returns `into`. */
export function mergeSketch(into: Sketch, from: Sketch): Sketch {
  for (const k in from) into[k] = (into[k] ?? 0) + (from[k] ?? 0);
  return into;
}

const ZERO = 48; // "0"
const MINUS = 45; // "-"

/**
 * Calls `add(bucket, count)` for each pair of stored sketch text: a JSON object of bucket → count, a flat JSON array of
 * pairs, or a JSON array of either (rows concatenated in SQL). Every form is a sequence of numbers in (bucket, count)
 * pairs, so the text is scanned for numbers without JSON.parse: readers add thousands of stored sketches per answer,
 * and this is their cost.
 */
export function forEachSketchPair(text: string, add: (bucket: number, count: number) => void) {
  const n = text.length;
  let key = 0;
  let isKey = true;
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    if ((c < ZERO || c > ZERO + 9) && c !== MINUS) {
      i++;
      continue;
    }
    const start = i;
    let v = 0;
    let neg = false;
    if (c === MINUS) {
      neg = true;
      i++;
    }
    let d = text.charCodeAt(i);
    while (d >= ZERO && d <= ZERO + 9) {
      v = v * 10 + (d - ZERO);
      d = text.charCodeAt(++i);
    }
    // Not a plain integer (a count summed as a real, `3.0`): read the whole number.
    if (d === 46 || d === 101 || d === 69) {
      while (i < n && /[0-9.eE+-]/.test(text[i]!)) i++;
      v = Math.abs(Number(text.slice(start, i)));
    }
    if (neg) v = -v;
    if (isKey) key = v;
    else add(key, v);
    isKey = !isKey;
  }
}

/** Adds the counts of stored sketch text (any form, see forEachSketchPair) into `into` (in place) and returns it. */
export function addSketchText(into: Sketch, text: string | null | undefined): Sketch {
  if (text) forEachSketchPair(text, (key, v) => (into[key] = (into[key] ?? 0) + v));
  return into;
}

/** A sketch as a flat JSON array of pairs (the day rollups' form). */
export const sketchPairs = (s: Sketch) => JSON.stringify(Object.entries(s).flatMap(([k, v]) => [Number(k), v]));

/** A sketch's values added one by one (tests, benches). */
export function sketchOf(values: number[]): Sketch {
  const s: Sketch = {};
  for (const v of values) {
    const k = String(bucketOf(v));
    s[k] = (s[k] ?? 0) + 1;
  }
  return s;
}

/** The nearest-rank `q` quantile (0 < q ≤ 1) of a sketch, within RELATIVE_ERROR; null when it is empty. */
export function quantile(s: Sketch, q: number): number | null {
  // Bucket indexes as numbers (a typed array sorts numerically; most keys come out in order already), and the total.
  const keys = Object.keys(s);
  const buckets = new Float64Array(keys.length);
  let n = 0;
  for (let i = 0; i < keys.length; i++) {
    buckets[i] = Number(keys[i]);
    n += s[keys[i]!] ?? 0;
  }
  buckets.sort();
  if (n <= 0) return null;
  // 0.95 × 100 is 95.00000000000001 in floating point: the rank is 95, not 96.
  const rank = Math.max(1, Math.ceil(q * n - 1e-9));
  let seen = 0;
  for (const b of buckets) {
    seen += s[b] ?? 0;
    if (seen >= rank) return bucketValue(b);
  }
  return bucketValue(buckets[buckets.length - 1]!);
}

/**
 * A sketch as (bucket, count) pairs in ascending bucket order, flat (`[bucket, count, bucket, count, …]`), and its total:
 * what the alert evaluation builds for thousands of groups a minute (no object per sketch, no key strings, no sort to
 * read a quantile).
 */
export type PackedSketch = { pairs: number[]; total: number };

// Packing adds into one dense array of counts (buckets DENSE_LOW … DENSE_LOW + DENSE_SIZE - 1: values from about
// 0.006 ms to 11 days) and notes the buckets it touched; the rare buckets outside it (0, sub-millisecond, longer) go
// through a map.
const DENSE_LOW = -1024;
const DENSE_SIZE = 4096;
const dense = new Float64Array(DENSE_SIZE);
const touched = new Int32Array(DENSE_SIZE);
let touchedCount = 0;
const outside = new Map<number, number>();

function addDense(bucket: number, count: number) {
  const i = bucket - DENSE_LOW;
  if (i >= 0 && i < DENSE_SIZE) {
    if (dense[i] === 0) touched[touchedCount++] = i;
    dense[i] = dense[i]! + count;
  } else outside.set(bucket, (outside.get(bucket) ?? 0) + count);
}

/** What addDense gathered, packed in bucket order, and the dense array cleared for the next sketch. */
function takeDense(): PackedSketch {
  const pairs: number[] = [];
  let total = 0;
  const extra = outside.size ? [...outside.keys()].sort((a, b) => a - b) : [];
  let e = 0;
  for (; e < extra.length && extra[e]! < DENSE_LOW; e++) {
    const count = outside.get(extra[e]!)!;
    pairs.push(extra[e]!, count);
    total += count;
  }
  // A bucket touched with a count of 0 stays 0 and may be noted again: each is taken once, when still non-zero.
  const order = touched.subarray(0, touchedCount).sort();
  for (const i of order) {
    const count = dense[i]!;
    if (count === 0) continue;
    pairs.push(i + DENSE_LOW, count);
    total += count;
    dense[i] = 0;
  }
  for (; e < extra.length; e++) {
    const count = outside.get(extra[e]!)!;
    pairs.push(extra[e]!, count);
    total += count;
  }
  outside.clear();
  touchedCount = 0;
  return { pairs, total };
}

/** Packed sketches and stored sketch texts added up into one packed sketch. */
export function mergePacked(sketches: readonly PackedSketch[], texts: readonly string[] = []): PackedSketch {
  for (const { pairs } of sketches) for (let i = 0; i < pairs.length; i += 2) addDense(pairs[i]!, pairs[i + 1]!);
  for (const text of texts) forEachSketchPair(text, addDense);
  return takeDense();
}

/** The nearest-rank `q` quantile of a packed sketch, as `quantile` reads it; null when it is empty. */
export function packedQuantile(s: PackedSketch, q: number): number | null {
  if (s.total <= 0) return null;
  const rank = Math.max(1, Math.ceil(q * s.total - 1e-9));
  const { pairs } = s;
  let seen = 0;
  for (let i = 0; i < pairs.length; i += 2) {
    seen += pairs[i + 1]!;
    if (seen >= rank) return bucketValue(pairs[i]!);
  }
  return bucketValue(pairs[pairs.length - 2]!);
}

/** `a` less `b` (both packed; `b` must be part of what `a` adds up): buckets left with nothing are dropped. */
export function subtractPacked(a: PackedSketch, b: PackedSketch): PackedSketch {
  const pairs: number[] = [];
  let total = 0;
  const x = a.pairs;
  const y = b.pairs;
  let j = 0;
  for (let i = 0; i < x.length; i += 2) {
    while (j < y.length && y[j]! < x[i]!) j += 2;
    const count = x[i + 1]! - (j < y.length && y[j] === x[i] ? y[j + 1]! : 0);
    if (count > 0) {
      pairs.push(x[i]!, count);
      total += count;
    }
  }
  return { pairs, total };
}

const EMPTY: PackedSketch = { pairs: [], total: 0 };

/**
 * A sketch being added up: stored texts and other sums gathered as they come and merged once, when read (one pass
 * through the dense array, no object per sketch): what the metrics reader adds for every bucket of every group.
 */
export class SketchSum {
  // Made on first use: sums whose sketches are never read (alert rules on counts and costs) allocate nothing more.
  private texts: string[] | null = null;
  private parts: PackedSketch[] | null = null;
  private packed: PackedSketch | null = EMPTY;

  /** Adds stored sketch text (any form, see forEachSketchPair). */
  addText(text: string | null | undefined) {
    if (!text) return;
    if (this.texts) this.texts.push(text);
    else this.texts = [text];
    this.packed = null;
  }

  /** Adds another sum. */
  add(other: SketchSum) {
    const p = other.pack();
    if (!p.total) return;
    if (this.parts) this.parts.push(p);
    else this.parts = [p];
    this.packed = null;
  }

  /** Takes out another sum that is part of this one. */
  subtract(other: SketchSum) {
    this.packed = subtractPacked(this.pack(), other.pack());
    this.parts = [this.packed];
  }

  /** Everything added, merged. */
  pack(): PackedSketch {
    if (this.packed === null) {
      this.packed = mergePacked(this.parts ?? [], this.texts ?? []);
      this.parts = [this.packed];
      this.texts = null;
    }
    return this.packed;
  }

  /** The nearest-rank `q` quantile, as `quantile` reads it; null when empty. */
  quantile(q: number): number | null {
    return packedQuantile(this.pack(), q);
  }
}
