// The demo's ordinary traffic covers the Costs page's 30 days with a believable shape, and stays idempotent.
import { describe, expect, it } from "vitest";
import { rng } from "../../bench/generate.ts";
import { demoEvents, TRAFFIC_DAYS, TRAFFIC_TRACES, trafficTimes } from "../../scripts/demo-data.ts";

const DAY = 86_400_000;
// A Wednesday afternoon (UTC), so the month holds whole weeks.
const NOW = Date.parse("2026-12-02T16:30:00Z");

describe("demo traffic", () => {
  const times = trafficTimes(NOW, rng(7));
  const dayOf = (t: number) => Math.floor(t / DAY);
  const perDay = new Map<number, number>();
  for (const t of times) perDay.set(dayOf(t), (perDay.get(dayOf(t)) ?? 0) + 1);

  it("puts traces on each of the last 30 days, none in the future", () => {
    expect(times).toHaveLength(TRAFFIC_TRACES);
    expect(Math.max(...times)).toBeLessThan(NOW);
    expect(dayOf(Math.min(...times))).toBe(dayOf(NOW) - (TRAFFIC_DAYS - 1));
    expect(perDay.size).toBe(TRAFFIC_DAYS);
  });

  it("is busier on weekdays than weekends, in working hours, and grows over the month", () => {
    const mean = (days: number[]) => days.reduce((a, d) => a + (perDay.get(d) ?? 0), 0) / days.length;
    const days = [...perDay.keys()].filter((d) => d !== dayOf(NOW));
    const weekend = days.filter((d) => [0, 6].includes(new Date(d * DAY).getUTCDay()));
    const weekday = days.filter((d) => !weekend.includes(d));
    expect(mean(weekday)).toBeGreaterThan(2 * mean(weekend));
    expect(mean(days.slice(-10))).toBeGreaterThan(mean(days.slice(0, 10)));
    const hours = times.map((t) => new Date(t).getUTCHours());
    expect(hours.filter((h) => h >= 7 && h < 19).length / hours.length).toBeGreaterThan(0.8);
  });

  it("gives the same event ids at any time, so a second load stores nothing new", () => {
    const ids = (now: number) => demoEvents(now).map((e) => e.event_id);
    expect(ids(NOW + 3 * DAY + 5 * 3_600_000)).toEqual(ids(NOW));
  });
});
