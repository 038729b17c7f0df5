// The dashboard's pure formatters (the same modules the pages import): durations, money, axis ticks and CSV.
import { describe, expect, it } from "vitest";
import type { CostReport } from "../../contract/costs.ts";
import { costsCsv, csvField, toCsv } from "../../ui/lib/csv.ts";
import { dollarLabel } from "../../ui/lib/dollar-ticks.ts";
import {
  clockOf,
  cost,
  DAY_MS,
  dayOf,
  duration,
  exactCost,
  grouped,
  HOUR_MS,
  MINUTE_MS,
  partialCost,
  shortTime,
  time,
} from "../../ui/lib/format.ts";
import { niceStep } from "../../ui/lib/ticks.ts";
import { fittedTimeTicks, timeTicks } from "../../ui/lib/time-ticks.ts";
import { parseCsv } from "./fixtures.ts";

describe("durations", () => {
  it("use the largest sensible units", () => {
    expect(duration(365 * DAY_MS + 13 * HOUR_MS + 5 * MINUTE_MS)).toBe("365 d 13 h");
    expect(duration(526_432 * MINUTE_MS + 7_000)).toBe("365 d 13 h");
    expect(duration(2 * HOUR_MS + 5 * MINUTE_MS + 3_000)).toBe("2 h 5 m");
    expect(duration(3 * MINUTE_MS + 20_000)).toBe("3 m 20 s");
    expect(duration(4_200)).toBe("4.2 s");
    expect(duration(1_450)).toBe("1.45 s");
    expect(duration(850)).toBe("850 ms");
    expect(duration(0.012)).toBe("12 µs");
    expect(duration(0)).toBe("0 ms");
    expect(duration(null)).toBe("—");
  });

  it("round to the second, then cut the smaller unit like a clock", () => {
    expect(duration(59_999)).toBe("1 m");
    expect(duration(HOUR_MS - 400)).toBe("1 h");
    expect(duration(2 * DAY_MS - 60_000)).toBe("1 d 23 h");
    expect(duration(2 * HOUR_MS + 59 * MINUTE_MS + 59_000)).toBe("2 h 59 m");
    expect(duration(999.7)).toBe("1 s");
  });
});

describe("money", () => {
  it("shows cents from a dollar up and three significant digits below, never $0 for unknown", () => {
    expect(cost(1204.5)).toBe("$1,204.50");
    expect(cost(0.518)).toBe("$0.518");
    expect(cost(0.00566)).toBe("$0.00566");
    expect(cost(0.0005700000000000001)).toBe("$0.00057");
    expect(cost(2.8e-7)).toBe("<$0.0001"); // compact in tables; exact in tooltips and the inspector
    expect(exactCost(2.8e-7)).toBe("$0.00000028");
    expect(cost(0.00012)).toBe("$0.00012");
    expect(cost(0)).toBe("$0.00");
    expect(cost(null)).toBe("—");
    expect(cost(null, "no price")).toBe("no price");
    expect(partialCost(0, 2, 2)).toBe("no price");
    expect(partialCost(0.0042, 1, 3)).toBe("$0.0042 + 1 unpriced");
    for (const usd of [1e-9, 3e-7, 0.000004, 0.00123]) expect(cost(usd)).not.toMatch(/^\$0\.0+$/);
  });
  it("writes what Intl's en-US dollars write, without Intl (its first use costs a page's first screen 11-15 ms)", () => {
    const dollars = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
    const cents = new Intl.NumberFormat("en-US", {
      style: "currency",
      currency: "USD",
      minimumSignificantDigits: 2,
      maximumSignificantDigits: 3,
    });
    const values: number[] = [];
    // Ties and edges at every scale, as written (2.675 rounds up, though the double under it is 2.67499…), then a
    // seeded spread of values.
    for (let e = -10; e <= 8; e++)
      for (const m of ["1", "1.005", "2.675", "1.25", "5", "9.995", "0.9995", "0.99949", "9.996", "99.995", "1234.5"])
        values.push(Number(`${m}e${e}`));
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 48_271) % 2_147_483_647;
      values.push((seed / 2_147_483_647) * 10 ** ((i % 19) - 10));
    }
    for (const usd of values) expect(exactCost(usd)).toBe((usd >= 0.9995 ? dollars : cents).format(usd));
    expect(exactCost(1e-200)).toMatch(/^\$0\.0+$/); // past toFixed's 100 digits: zeros, not an exception
  });

  it("groups thousands as en-US does, fractions and signs untouched", () => {
    for (const n of [0, 7, 999, 1000, 12_345, 1_234_567, 1234.5, 0.00123, -98_765.4321, 1e15])
      expect(grouped(n)).toBe(n.toLocaleString("en-US", { maximumFractionDigits: 20 }));
  });
});

describe("moments", () => {
  const clock = { hour: "2-digit", minute: "2-digit" } as const;
  const day = { month: "short", day: "numeric", ...clock } as const;
  const full = { ...day, second: "2-digit" } as const;
  // Around midnight and noon, one- and two-digit days and hours, in the viewer's (this process's) time zone.
  const moments = [
    [2026, 0, 5, 0, 5, 3],
    [2026, 0, 5, 9, 5, 3],
    [2026, 5, 15, 11, 59, 59],
    [2026, 5, 15, 12, 0, 0],
    [2026, 10, 24, 22, 23, 44],
    [2026, 11, 31, 23, 59, 59],
  ].map(([y, mo, d, h, mi, s]) => new Date(y!, mo!, d!, h!, mi!, s!).getTime());

  it("write what Intl's en-US dates write, in the viewer's time zone, without Intl", () => {
    for (const ms of moments) {
      expect(time(ms)).toBe(new Date(ms).toLocaleString("en-US", full));
      // Today: the time of day; another day (a minute after 23:59:59 too): the day as well.
      const sameDay = new Date(ms + 60_000).toDateString() === new Date(ms).toDateString();
      expect(shortTime(ms, ms + 60_000)).toBe(new Date(ms).toLocaleString("en-US", sameDay ? clock : day));
      expect(shortTime(ms, ms + 2 * DAY_MS)).toBe(new Date(ms).toLocaleString("en-US", day));
      // A chart's axis: the time of day, and the day in the viewer's zone or in UTC.
      expect(clockOf(ms)).toBe(new Date(ms).toLocaleTimeString("en-US", clock));
      expect(dayOf(ms)).toBe(new Date(ms).toLocaleDateString("en-US", { month: "short", day: "numeric" }));
      expect(dayOf(ms, true)).toBe(
        new Date(ms).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" }),
      );
    }
  });
});

describe("axis ticks", () => {
  const labels = (a: number, b: number, count = 4) => timeTicks(a, b, 0, count).map((t) => t.label);

  it("label every tick distinctly at any zoom: seconds, milliseconds, microseconds", () => {
    for (const [a, b] of [
      [0, 6_400],
      [19_960, 19_978],
      [19_960, 19_960.4],
      [0, 0.3],
      [HOUR_MS, HOUR_MS + 2 * MINUTE_MS],
      [0, 365 * DAY_MS],
    ] as const) {
      const shown = labels(a, b);
      expect(shown.length, `${a}–${b}`).toBeGreaterThanOrEqual(2);
      expect(new Set(shown).size, shown.join(" | ")).toBe(shown.length);
    }
    expect(labels(19_960, 19_978)).toEqual(["19.960 s", "19.965 s", "19.970 s", "19.975 s"]);
    expect(labels(0, 0.3)).toEqual(["0 µs", "100 µs", "200 µs", "300 µs"]);
  });

  it("fit a narrow axis: as many as have room, never fewer than the range's two ends", () => {
    for (const [a, b, width] of [
      [0, 20_000, 119],
      [19_960, 19_978, 119],
      [19_960, 19_960.4, 160],
      [0, 6_400, 330],
    ] as const) {
      const ticks = fittedTimeTicks(a, b, 0, width);
      const labels = ticks.map((t) => t.label);
      expect(ticks.length, labels.join(" | ")).toBeGreaterThanOrEqual(2);
      expect(new Set(labels).size).toBe(labels.length);
      expect(ticks.length * (Math.max(...labels.map((l) => l.length)) * 6.5 + 12)).toBeLessThanOrEqual(width);
    }
    expect(fittedTimeTicks(0, 20_000, 0, 119).map((t) => t.label)).toEqual(["0 s", "10 s", "20 s"]);
    expect(fittedTimeTicks(19_960, 19_960.4, 0, 90).map((t) => t.label)).toEqual(["19.96000 s", "+400 µs"]);
  });

  it("give the cost chart round dollar ticks, cents below a dollar", () => {
    expect(niceStep(0.158, 4)).toBe(0.05);
    expect([0, 0.05, 0.1, 0.15, 0.2].map(dollarLabel(0.158, 4))).toEqual(["$0.00", "$0.05", "$0.10", "$0.15", "$0.20"]);
    expect(niceStep(23, 4)).toBe(10);
    expect([0, 10, 20, 30].map(dollarLabel(23, 4))).toEqual(["$0", "$10", "$20", "$30"]);
  });
});

describe("CSV", () => {
  it("quotes text per RFC 4180 and neutralises cells a spreadsheet would run as formulas", () => {
    expect(csvField('x",=2+3,"')).toBe('"x"",=2+3,"""');
    for (const formula of ["=1+2", "+cmd", "-2+3", "@SUM(A1)", "\t=1"]) expect(csvField(formula)).toBe(`"'${formula}"`);
    const text = toCsv([
      ["model", "cost"],
      ['x",=2+3,"', 1],
      ["line\nbreak", 2],
    ]);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(parseCsv(text)).toEqual([
      ["model", "cost"],
      ['x",=2+3,"', "1"],
      ["line\nbreak", "2"],
    ]);
  });

  it("rounds costs to 10 significant digits and lists the names a model was sent as", () => {
    const sums = { input_tokens: 1, output_tokens: 2, cached_input_tokens: 0, calls: 3, unpriced_calls: 0 };
    const report: CostReport = {
      from: 0,
      to: 1,
      group_by: "model",
      interval: "day",
      totals: { cost: 0, ...sums },
      groups: [
        { key: "gpt-4o-mini", cost: 0.0005700000000000001, models: ["gpt-4o-mini", "gpt-4o-mini-2024-07-18"], ...sums },
        { key: "=cmd|' /C calc'!A0", cost: 0.1 + 0.2, ...sums },
        { key: "tiny", cost: 0.00000019 * 3, ...sums },
      ],
      series: [],
      unknown_models: [],
      cache_savings: { hits: 0, cost: 0, unpriced_hits: 0 },
    };
    const rows = parseCsv(costsCsv(report));
    expect(rows[0]).toEqual([
      "model",
      "cost_usd",
      "calls",
      "unpriced_calls",
      "input_tokens",
      "output_tokens",
      "cached_input_tokens",
      "names_sent",
    ]);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[7]])).toEqual([
      ["gpt-4o-mini", "0.00057", "gpt-4o-mini; gpt-4o-mini-2024-07-18"],
      ["'=cmd|' /C calc'!A0", "0.3", ""],
      ["tiny", "0.00000057", ""],
    ]);
  });
});
