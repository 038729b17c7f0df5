// Display formats shared by the pages: durations, money, token counts, times.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms === 0) return "0 ms";
  if (ms < 1) return "<1 ms";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} m ${Math.round((ms % 60_000) / 1000)} s`;
}

export function cost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return "—";
  if (usd === 0) return "$0";
  if (usd < 0.01) return `$${usd.toFixed(5)}`;
  return `$${usd.toFixed(usd < 10 ? 3 : 2)}`;
}

export const tokens = (n: number | null | undefined) =>
  n === null || n === undefined ? "—" : n < 10_000 ? String(n) : `${(n / 1000).toFixed(1)}k`;

export const time = (ms: number) =>
  new Date(ms).toLocaleString(undefined, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });

/** A signed delta with a sign and the unit's format. */
export const delta = (n: number, fmt: (n: number) => string) =>
  n === 0 ? "±0" : `${n > 0 ? "+" : "−"}${fmt(Math.abs(n))}`;

/** ISO date (yyyy-mm-dd) for <input type=date>, and back to epoch ms. */
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
