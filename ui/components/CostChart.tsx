// Cost over time, stacked by model, in the one chart component (Chart.tsx, as the Overview's charts): one bar per
// bucket of the range (empty ones too), a dollar axis, UTC dates, and a readout of the bucket's total and models.
import type { CostSeriesPoint } from "../../contract/costs.ts";
import { dollarLabel } from "../lib/dollar-ticks.ts";
import { cost, DAY_MS, HOUR_MS, partialCost } from "../lib/format.ts";
import { Chart } from "./Chart.tsx";

type SeriesRow = Pick<CostSeriesPoint, "bucket" | "key" | "cost" | "calls" | "unpriced_calls">;
type Props = { series: SeriesRow[]; interval: "hour" | "day"; from: number; to: number };

const PALETTE = ["#7c3aed", "#2563eb", "#16a34a", "#ea580c", "#db2777", "#0891b2", "#ca8a04", "#6b7280"];
const HEIGHT = 220;
const OTHER = "other";
/** Models a bucket's readout lists. */
const SHOWN = 6;

const nameOf = (key: SeriesRow["key"]) => (key === null || key === "" ? "(no model)" : String(key));
const sum = (rows: SeriesRow[], of: (r: SeriesRow) => number) => rows.reduce((n, r) => n + of(r), 0);
/** The rows by `key`, in the order they come. */
function groupOf<K>(rows: SeriesRow[], key: (r: SeriesRow) => K) {
  const groups = new Map<K, SeriesRow[]>();
  for (const r of rows) {
    const group = groups.get(key(r));
    if (group) group.push(r);
    else groups.set(key(r), [r]);
  }
  return groups;
}
const priced = (rows: SeriesRow[], calls = sum(rows, (r) => r.calls)) =>
  partialCost(
    sum(rows, (r) => r.cost),
    sum(rows, (r) => r.unpriced_calls ?? 0),
    calls,
  );

export function CostChart({ series, interval, from, to }: Props) {
  if (!series.length) return <p class="muted">No model calls in this range.</p>;
  const size = interval === "hour" ? HOUR_MS : DAY_MS;
  const times: number[] = [];
  for (let t = Math.floor(from / size) * size; t < to; t += size) times.push(t);
  // The rows grouped once, by model (the ranking, the legend) and by bucket (the bars, the readout).
  const byModel = groupOf(series, (r) => nameOf(r.key));
  const byBucket = groupOf(series, (r) => r.bucket);
  const totals = new Map([...byModel].map(([name, rows]) => [name, sum(rows, (r) => r.cost)]));
  // Models by total cost: the seven dearest get a colour each, the rest share "other".
  const ranked = [...byModel.keys()].sort((a, b) => totals.get(b)! - totals.get(a)!);
  const named = ranked.slice(0, PALETTE.length - 1);
  const colour = (name: string) => PALETTE[named.includes(name) ? named.indexOf(name) : PALETTE.length - 1]!;
  const inBucket = (t: number) => byBucket.get(t) ?? [];
  const stacks = [...named, ...(ranked.length > named.length ? [OTHER] : [])].map((name) => ({
    name,
    colour: colour(name),
    values: times.map((t) =>
      sum(inBucket(t), (r) =>
        (name === OTHER ? !named.includes(nameOf(r.key)) : name === nameOf(r.key)) ? r.cost : 0,
      ),
    ),
    note: name === OTHER ? undefined : priced(byModel.get(name)!),
  }));
  const max = Math.max(0, ...times.map((_, i) => stacks.reduce((n, s) => n + s.values[i]!, 0)));
  return (
    <Chart
      bars
      title={`Cost per ${interval}`}
      class="cost-chart"
      testId="cost-chart"
      height={HEIGHT}
      utc
      whole={false}
      times={times}
      bucketMs={size}
      series={stacks}
      // The frame's ticks at this height: 4 intervals.
      format={dollarLabel(max, Math.round(HEIGHT / 50))}
      readout={(i) => {
        const rows = [...inBucket(times[i]!)].sort((a, b) => b.cost - a.cost);
        const calls = sum(rows, (r) => r.calls);
        return (
          <>
            <div>{calls ? `${priced(rows, calls)} · ${calls} call(s)` : "No model calls"}</div>
            {rows.length > 0 && (
              <ul class="plain">
                {rows.slice(0, SHOWN).map((r) => (
                  <li key={nameOf(r.key)}>
                    <i style={{ background: colour(nameOf(r.key)) }} />
                    <span class="name">{nameOf(r.key)}</span>
                    <span>{r.unpriced_calls && r.unpriced_calls >= r.calls ? "no price" : cost(r.cost)}</span>
                  </li>
                ))}
                {rows.length > SHOWN && <li class="muted">and {rows.length - SHOWN} more</li>}
              </ul>
            )}
          </>
        );
      }}
    />
  );
}
