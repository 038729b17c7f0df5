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
  // What Intl's en-US dollars write, without Intl: a tab's first Intl format loads the locale's data, 11–15 ms of the
  // trace page's first screen. From a dollar up, cents (the currency's own digits) grouped by thousands; below, three
  // significant digits, zeros after the second dropped ("$0.50", "$0.00057"). Rounded as Intl rounds: the number as
  // JavaScript writes it, ties up (2.675 → 2.68, where toFixed rounds the double under it, 2.67499…). Only a number
  // written with 17 digits that fall just short of a tie (2.6749999999999998e-8) can round up where Intl rounds down.
  const places = usd >= 0.9995 ? 2 : Math.min(100, 2 - Math.floor(Math.log10(usd)));
  const [digits, exponent = 0] = String(usd).split("e");
  const rounded = Math.round(Number(`${digits}e${Number(exponent) + places}`));
  let text = Number(`${rounded}e-${places}`).toFixed(places);
  if (places === 2) return `$${grouped(text)}`;
  while (text.endsWith("0") && text.replace(/^[0.]+/, "").length > 2) text = text.slice(0, -1);
  return `$${text}`;
}

/** A number with its thousands grouped as en-US writes them ("12,345", "1,234.5"), without Intl (see `exactCost`). */
export const grouped = (n: number | string) =>
  String(n).replace(/\d+/, (whole) => whole.replace(/\B(?=(\d{3})+$)/g, ","));

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

// Moments are written as the rest of the UI writes numbers and money, in US English, without Intl: a tab's first
// Intl format loads the locale's data, 11–15 ms of a page's first screen (a trace's start, a table of times, a
// chart's axis).
const MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");
const two = (n: number) => String(n).padStart(2, "0");

/** The day: "Nov 24", in the viewer's time zone or UTC. */
export const dayOf = (ms: number, utc?: boolean) => {
  const d = new Date(ms);
  return utc ? `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}` : `${MONTHS[d.getMonth()]} ${d.getDate()}`;
};

/** The time of day in the viewer's time zone: "10:23 PM", with seconds "10:23:44 PM". */
export function clockOf(ms: number, seconds?: boolean) {
  const d = new Date(ms);
  const h = d.getHours();
  return `${two(h % 12 || 12)}:${two(d.getMinutes())}${seconds ? `:${two(d.getSeconds())}` : ""} ${h < 12 ? "AM" : "PM"}`;
}

/** A moment in full, in the viewer's time zone: "Nov 24, 10:23:44 PM". */
export const time = (ms: number) => `${dayOf(ms)}, ${clockOf(ms, true)}`;

/** A moment for a table cell: the time of day for today ("10:23 PM"), else the day and time ("Nov 24, 10:23 PM"). */
export function shortTime(ms: number, now = Date.now()) {
  return new Date(now).toDateString() === new Date(ms).toDateString() ? clockOf(ms) : `${dayOf(ms)}, ${clockOf(ms)}`;
}

/** ISO date (yyyy-mm-dd) for <input type=date>, and back to epoch ms. */
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
