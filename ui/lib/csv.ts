// CSV the way spreadsheets read it safely: RFC 4180 quoting, text that a spreadsheet would run as a formula
// neutralised, costs without float noise.
import type { CostReport } from "../../contract/costs.ts";

export type Cell = string | number | null | undefined;

/** Costs are sums of floats: 10 significant digits drop the noise (0.0005700000000000001 → 0.00057). */
export const roundCost = (usd: number) => Number(usd.toPrecision(10));

/** A number as plain decimal text (no exponent, which some spreadsheets read as text). */
function numberText(n: number) {
  if (!Number.isFinite(n)) return "";
  const text = String(n);
  if (!/e/i.test(text)) return text;
  const fixed = n.toFixed(Math.min(100, Math.max(0, 9 - Math.floor(Math.log10(Math.abs(n))))));
  return fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed;
}

/**
 * One field: numbers as they are; text that starts like a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading `'`
 * so a spreadsheet shows it instead of running it (OWASP's advice), then every text field is quoted with inner
 * quotes doubled (RFC 4180), so commas, quotes and line breaks stay inside their cell.
 */
export function csvField(value: Cell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return numberText(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** Rows to CSV text: CRLF line ends, as RFC 4180 says. */
export const toCsv = (rows: Cell[][]) => rows.map((r) => `${r.map(csvField).join(",")}\r\n`).join("");

/** The costs report's groups as CSV: one row per group, the names as sent, costs rounded. */
export function costsCsv(report: CostReport): string {
  const header = [
    report.group_by,
    "cost_usd",
    "calls",
    "unpriced_calls",
    "input_tokens",
    "output_tokens",
    "cached_input_tokens",
    ...(report.group_by === "model" ? ["names_sent"] : []),
  ];
  const rows = report.groups.map((g) => [
    g.key === null ? "" : String(g.key),
    roundCost(g.cost),
    g.calls,
    g.unpriced_calls,
    g.input_tokens,
    g.output_tokens,
    g.cached_input_tokens,
    ...(report.group_by === "model" ? [(g.models ?? []).join("; ")] : []),
  ]);
  return toCsv([header, ...rows]);
}
