// The cost chart's dollar axis (only the Costs page's: it loads with that page, not with every page's entry).
import { decimalsFor, niceStep, type Tick } from "./ticks.ts";

/** Dollar ticks from $0 to at least `max`, about `count` intervals: values and labels ("$0.05", "$2"). */
export function dollarTicks(max: number, count: number): { ticks: Tick[]; top: number } {
  const step = niceStep(max > 0 ? max : 1, count);
  const n = Math.max(1, Math.ceil(max / step - 1e-9));
  // Cents below a dollar ("$0.10", not "$0.1").
  const decimals = step < 1 ? Math.max(2, decimalsFor(step)) : 0;
  const ticks = Array.from({ length: n + 1 }, (_, i) => ({ at: i * step, label: `$${(i * step).toFixed(decimals)}` }));
  return { ticks, top: n * step };
}
