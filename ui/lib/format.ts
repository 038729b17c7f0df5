// Display formats shared by the pages: durations, money, token counts, times. One formatter per kind of value, used
// everywhere, so a cost or a duration reads the same on every page.

export const SECOND_MS = 1000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const UNITS: Array<[number, string]> = [
  [DAY_MS, "d"],
  [HOUR_MS, "h"],
  [MINUTE_MS, "m"],
  [SECOND_MS, "s"],
];

/** Up to 3 significant digits, trailing zeros dropped: 4.2, 12.3, 850. */
const sig3 = (n: number) => String(Number(n.toPrecision(3)));

/**
 * A duration in the largest sensible units: "365 d 13 h", "2 h 5 m", "3 m 20 s", "4.2 s", "850 ms", "12 µs".
 * From a minute up, two units at most, the smaller one cut (not rounded) like a clock's, and dropped when it is zero.
 */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 0) return `−${duration(-ms)}`;
  if (ms === 0) return "0 ms";
  if (ms < 1) return ms * 1000 < 0.5 ? "<1 µs" : `${Math.round(ms * 1000)} µs`;
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  if (ms < 59_950) return `${sig3(ms / 1000)} s`;
  const whole = Math.round(ms / 1000) * 1000;
  for (let i = 0; i < UNITS.length - 1; i++) {
    const [size, unit] = UNITS[i]!;
    if (whole < size) continue;
    const [smaller, smallerUnit] = UNITS[i + 1]!;
    const big = Math.floor(whole / size);
    const rest = Math.floor((whole - big * size) / smaller);
    return rest ? `${big} ${unit} ${rest} ${smallerUnit}` : `${big} ${unit}`;
  }
  return `${sig3(ms / 1000)} s`;
}

// Made on first use, not as the app's code loads: the tab's first one loads the locale's data.
let dollars: Intl.NumberFormat | undefined;
let cents: Intl.NumberFormat | undefined;
const usdFormat = (digits?: Intl.NumberFormatOptions) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", ...digits });

/** Below this a cost reads `<$0.0001` in tables and charts (the exact value is in the cell's tooltip). */
const SMALLEST_SHOWN = 0.0001;

/**
 * Money in USD, compact for every table and chart: cents from a dollar up ("$12.35", "$1,204.00"), three significant
 * digits below ("$0.50", "$0.00566"), `<$0.0001` for less, "$0.00" for a real zero. Unknown (null: no price) is
 * `unknown`, never "$0".
 */
export function cost(usd: number | null | undefined, unknown = "—"): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return unknown;
  if (usd < 0) return `−${cost(-usd)}`;
  if (usd > 0 && usd < SMALLEST_SHOWN) return "<$0.0001";
  return exactCost(usd, unknown);
}

/** The same, without the floor: "$0.00000028" (the inspector, tooltips). */
export function exactCost(usd: number | null | undefined, unknown = "—"): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return unknown;
  if (usd < 0) return `−${exactCost(-usd)}`;
  if (usd === 0) return "$0.00";
  // From a dollar up, cents (the currency's own digits); below, three significant digits.
  if (usd >= 0.9995) {
    dollars ??= usdFormat();
    return dollars.format(usd);
  }
  cents ??= usdFormat({ minimumSignificantDigits: 2, maximumSignificantDigits: 3 });
  return cents.format(usd);
}

/** What a sum of model calls cost when some had no price: "$0.0042 + 1 unpriced", or "no price" when none had one. */
export function partialCost(usd: number, unpriced: number, calls: number) {
  if (!unpriced) return cost(usd);
  if (unpriced >= calls) return "no price";
  return `${cost(usd)} + ${unpriced} unpriced`;
}

export const tokens = (n: number | null | undefined) =>
  n === null || n === undefined ? "—" : n < 10_000 ? String(n) : `${sig3(n / 1000)}k`;

/** A size in bytes: "812 B", "3.4 KB", "1.2 MB" (1 KB = 1,024 bytes). */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const [value, unit] = n < 1024 * 1024 ? [n / 1024, "KB"] : [n / (1024 * 1024), "MB"];
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}

/** A moment in full: "Nov 24, 10:23:44 PM". */
export const time = (ms: number) =>
  new Date(ms).toLocaleString(undefined, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });

/** A moment for a table cell: the time of day for today ("10:23 PM"), else the day and time ("Nov 24, 10:23 PM"). */
export function shortTime(ms: number, now = Date.now()) {
  const d = new Date(ms);
  const today = new Date(now).toDateString() === d.toDateString();
  return d.toLocaleString(undefined, {
    ...(today ? {} : { month: "short", day: "numeric" }),
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** ISO date (yyyy-mm-dd) for <input type=date>, and back to epoch ms. */
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
