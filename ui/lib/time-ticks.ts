// The waterfall's time-axis ticks: round steps for a range (µs to days) and labels precise enough to tell every tick
// apart. Only the trace page uses them, so they load with its code, not with every page's.
import { DAY_MS, duration, HOUR_MS, MINUTE_MS, SECOND_MS } from "./format.ts";
import { decimalsFor, type Tick } from "./ticks.ts";

/** Steps of 1, 2 and 5 from a microsecond to 5 s, then the clock's own (10 s, 15 s, 20 s, 30 s, 1 m, … 365 d). */
const TIME_STEPS = [
  ...[-3, -2, -1, 0, 1, 2, 3].flatMap((e) => [1, 2, 5].map((m) => m * 10 ** e)),
  10 * SECOND_MS,
  15 * SECOND_MS,
  20 * SECOND_MS,
  30 * SECOND_MS,
  ...[1, 2, 5, 10, 15, 20, 30].map((m) => m * MINUTE_MS),
  ...[1, 2, 3, 6, 12].map((h) => h * HOUR_MS),
  ...[1, 2, 7, 14, 30, 60, 90, 180, 365].map((d) => d * DAY_MS),
];

/** The smallest step of a ladder that makes at most `count` intervals of `span`. */
function stepFor(span: number, count: number, ladder: number[]) {
  const want = span / Math.max(1, count);
  return ladder.find((s) => s >= want) ?? ladder.at(-1)!;
}

/**
 * An offset (ms from the trace's start) labelled for ticks `step` apart: the unit of the biggest offset shown
 * (`upTo`), with as many decimals as the step needs ("19.965 s", "350 µs", "1 h 5 m").
 */
export function offsetLabel(ms: number, step: number, upTo = ms): string {
  if (upTo < 1) return `${(ms * 1000).toFixed(decimalsFor(step * 1000))} µs`;
  if (upTo < SECOND_MS) return `${ms.toFixed(decimalsFor(step))} ms`;
  if (upTo < MINUTE_MS || step < SECOND_MS) {
    if (upTo < MINUTE_MS) return `${(ms / SECOND_MS).toFixed(decimalsFor(step / SECOND_MS))} s`;
    const minutes = Math.floor(ms / MINUTE_MS);
    return `${minutes} m ${((ms - minutes * MINUTE_MS) / SECOND_MS).toFixed(decimalsFor(step / SECOND_MS))} s`;
  }
  // Whole units down to the step's: "2 d 3 h", "1 h 5 m", "12 m 30 s".
  const parts: string[] = [];
  let rest = Math.round(ms / SECOND_MS) * SECOND_MS;
  for (const [size, unit] of [
    [DAY_MS, "d"],
    [HOUR_MS, "h"],
    [MINUTE_MS, "m"],
    [SECOND_MS, "s"],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n || (parts.length && size >= step)) parts.push(`${n} ${unit}`);
    if (size <= step) break;
  }
  return parts.join(" ") || "0 s";
}

/** Ticks for the time range [a, b] (epoch ms), labelled as offsets from `origin`, about `count` of them. */
export function timeTicks(a: number, b: number, origin: number, count: number): Tick[] {
  const step = stepFor(b - a, count, TIME_STEPS);
  const from = a - origin;
  const to = b - origin;
  const ticks: Tick[] = [];
  for (let k = Math.ceil(from / step - 1e-9); k * step <= to + step * 1e-9; k++) {
    ticks.push({ at: origin + k * step, label: offsetLabel(k * step, step, to) });
  }
  return ticks;
}

/**
 * As many round ticks as fit `widthPx` without their labels touching (`charPx` per character); at least the range's
 * two ends when no round step fits.
 */
export function fittedTimeTicks(a: number, b: number, origin: number, widthPx: number, charPx = 6.5): Tick[] {
  const fits = (ticks: Tick[]) =>
    ticks.length >= 2 && ticks.length * (Math.max(...ticks.map((t) => t.label.length)) * charPx + 12) <= widthPx;
  for (let count = Math.max(1, Math.floor(widthPx / 56)); count >= 1; count--) {
    const ticks = timeTicks(a, b, origin, count);
    if (fits(ticks)) return ticks;
  }
  const step = (b - a) / 10;
  const ends = [a, b].map((at) => ({ at, label: offsetLabel(at - origin, step, b - origin) }));
  // Too narrow even for both ends in full: the end says how far it is from the start.
  return fits(ends) ? ends : [ends[0]!, { at: b, label: `+${duration(b - a)}` }];
}
