// addSketchText reads every stored form of a sketch (JSON object, flat pairs, arrays of either) to the same counts as
// parsing and merging them, including the zero bucket, negative buckets and counts stored as reals; packed sketches
// (the alert evaluation's) read the same quantiles.
import { describe, expect, it } from "vitest";
import {
  addSketchText,
  mergePacked,
  mergeSketch,
  packedQuantile,
  quantile,
  type Sketch,
  sketchOf,
  sketchPairs,
  ZERO_BUCKET,
} from "../../src/lib/sketch.ts";

describe("addSketchText", () => {
  const a = sketchOf([0, 0.0004, 0.5, 1, 1, 12.5, 140, 2_000, 3_600_000]);
  const b = sketchOf([0, 3, 3, 3, 99.9, 140, 0.002]);
  const merged = mergeSketch(mergeSketch({}, a), b);

  it("reads objects, pairs and arrays of both to the merged counts", () => {
    expect(a[ZERO_BUCKET]).toBe(1);
    expect(Object.keys(a).some((k) => Number(k) < 0 && Number(k) !== ZERO_BUCKET)).toBe(true);
    expect(addSketchText({}, JSON.stringify(a))).toEqual(a);
    expect(addSketchText({}, sketchPairs(a))).toEqual(a);
    expect(addSketchText({}, `[${JSON.stringify(a)},${JSON.stringify(b)}]`)).toEqual(merged);
    expect(addSketchText({}, `[${sketchPairs(a)},${JSON.stringify(b)}]`)).toEqual(merged);
    expect(addSketchText({}, "[{},[]]")).toEqual({});
    expect(addSketchText({}, null)).toEqual({});
  });

  it("adds into what is there, and reads counts stored as reals", () => {
    const into: Sketch = { 5: 2 };
    addSketchText(into, '{"5":3.0,"-7":1e0}');
    expect(into).toEqual({ 5: 5, [-7]: 1 });
  });
});

describe("packed sketches", () => {
  /** A seeded generator (mulberry32): the same sketches every run. */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  it("read every quantile as the object sketch does, across zero, sub-millisecond and very long values", () => {
    const r = random(7);
    const seen = new Set<string>();
    for (let n = 0; n < 200; n++) {
      // Durations from 0 and fractions of a millisecond to weeks (buckets outside the dense range too).
      const values = Array.from({ length: 1 + Math.floor(r() * 60) }, () => (r() < 0.05 ? 0 : Math.exp(r() * 44 - 12)));
      const texts = [JSON.stringify(sketchOf(values.slice(0, 10))), sketchPairs(sketchOf(values.slice(10)))];
      const object = addSketchText(addSketchText({}, texts[0]), texts[1]);
      const packed = mergePacked([], texts);
      expect(packed.total).toBe(values.length);
      const buckets = packed.pairs.filter((_, i) => i % 2 === 0);
      for (const b of buckets)
        seen.add(b === ZERO_BUCKET ? "zero" : b < -1024 ? "below" : b >= 3072 ? "above" : "dense");
      expect(buckets).toEqual([...buckets].sort((x, y) => x - y));
      for (const q of [0.01, 0.5, 0.95, 0.99, 1]) expect(packedQuantile(packed, q)).toBe(quantile(object, q));
      // Merged again from packed halves: the same sketch.
      expect(mergePacked([mergePacked([], [texts[0]!]), mergePacked([], [texts[1]!])])).toEqual(packed);
    }
    // Buckets of the dense range and of the map either side of it were all exercised.
    expect([...seen].sort()).toEqual(["above", "below", "dense", "zero"]);
    expect(packedQuantile(mergePacked([], []), 0.5)).toBeNull();
  });
});
