// addSketchText reads every stored form of a sketch (JSON object, flat pairs, arrays of either) to the same counts as
// parsing and merging them, including the zero bucket, negative buckets and counts stored as reals.
import { describe, expect, it } from "vitest";
import { addSketchText, mergeSketch, type Sketch, sketchOf, sketchPairs, ZERO_BUCKET } from "../../src/lib/sketch.ts";

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
