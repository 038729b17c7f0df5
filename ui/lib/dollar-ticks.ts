// The cost chart's dollar axis labels (only the Costs page's: it loads with that page, not with every page's entry).
import { decimalsFor, niceStep } from "./ticks.ts";

/** The label of a dollar tick on an axis from $0 past `max` in about `count` intervals ("$0.05", "$2"). */
export function dollarLabel(max: number, count: number) {
  const step = niceStep(max > 0 ? max : 1, count);
  // Cents below a dollar ("$0.10", not "$0.1").
  const decimals = step < 1 ? Math.max(2, decimalsFor(step)) : 0;
  return (usd: number) => `$${usd.toFixed(decimals)}`;
}
