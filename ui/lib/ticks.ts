// Value-axis ticks: round 1-2-5 steps for the Overview's charts and the cost chart's dollar axis (ui/lib/time-ticks.ts
// has the waterfall's time axis).

export type Tick = { at: number; label: string };

/** A 1-2-5 step (× a power of ten) for `span` in about `count` intervals. */
export function niceStep(span: number, count: number) {
  const raw = span / Math.max(1, count);
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((m) => m * power >= raw * (1 - 1e-9)) ?? 10) * power;
}

export const decimalsFor = (step: number) => Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));

/** Dollar ticks from $0 to at least `max`, about `count` intervals: values and labels ("$0.05", "$2"). */
export function dollarTicks(max: number, count: number): { ticks: Tick[]; top: number } {
  const step = niceStep(max > 0 ? max : 1, count);
  const n = Math.max(1, Math.ceil(max / step - 1e-9));
  // Cents below a dollar ("$0.10", not "$0.1").
  const decimals = step < 1 ? Math.max(2, decimalsFor(step)) : 0;
  const ticks = Array.from({ length: n + 1 }, (_, i) => ({ at: i * step, label: `$${(i * step).toFixed(decimals)}` }));
  return { ticks, top: n * step };
}
