// What the metrics tests compare percentiles with: the exact nearest-rank quantile of the raw values, and the 1%
// relative error bound the rollups' sketches promise (issue 26).
import { expect } from "vitest";

/** The exact nearest-rank quantile. */
export function exact(values: number[], q: number) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length - 1e-9)) - 1]!;
}

/** `got` within 1% of the exact `want` (both null when there is no value). */
export const within1 = (got: number | null | undefined, want: number | null) => {
  if (want === null) return expect(got).toBeNull();
  expect(got).not.toBeNull();
  expect(Math.abs(got! - want) / want, `${got} vs exact ${want}`).toBeLessThanOrEqual(0.01);
};
