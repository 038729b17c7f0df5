// Value-axis ticks: round 1-2-5 steps for the charts (Chart.tsx; the cost chart's dollar
// labels: ui/lib/dollar-ticks.ts; ui/lib/time-ticks.ts has the waterfall's time axis).

export type Tick = { at: number; label: string };

/** A 1-2-5 step (× a power of ten) for `span` in about `count` intervals. */
export function niceStep(span: number, count: number) {
  const raw = span / Math.max(1, count);
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].find((m) => m * power >= raw * (1 - 1e-9)) ?? 10) * power;
}

export const decimalsFor = (step: number) => Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
