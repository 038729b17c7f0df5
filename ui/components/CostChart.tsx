// Cost over time, stacked by model, as inline SVG (no chart library): one bar per bucket of the range (empty ones
// too), a dollar axis with round ticks, a date axis, and a readout of the bucket under the pointer (or the arrow keys).
import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import type { CostSeriesPoint } from "../../contract/costs.ts";
import { dollarTicks } from "../lib/dollar-ticks.ts";
import { DAY_MS, HOUR_MS, partialCost } from "../lib/format.ts";
import { useWidth } from "../lib/use-width.ts";
import { ChartReadout } from "./ChartReadout.tsx";

type SeriesRow = Pick<CostSeriesPoint, "bucket" | "key" | "cost" | "calls" | "unpriced_calls">;
type Props = { series: SeriesRow[]; interval: "hour" | "day"; from: number; to: number };

const PALETTE = ["#7c3aed", "#2563eb", "#16a34a", "#ea580c", "#db2777", "#0891b2", "#ca8a04", "#6b7280"];
const HEIGHT = 220;
const PAD = { top: 10, right: 8, bottom: 24 };
const OTHER = "other";

const nameOf = (key: SeriesRow["key"]) => (key === null || key === "" ? "(no model)" : String(key));
/** Buckets are UTC days or hours (what the API sums by): days are labelled as UTC dates. */
const dayLabel = (ms: number) =>
  new Date(ms).toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
const hourLabel = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });

export function CostChart({ series, interval, from, to }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box, 800).value;
  const active = useSignal<number | null>(null);
  const size = interval === "hour" ? HOUR_MS : DAY_MS;
  const buckets: number[] = [];
  for (let t = Math.floor(from / size) * size; t < to; t += size) buckets.push(t);

  // Models by total cost: the seven dearest get a colour each, the rest share "other".
  const totals = new Map<string, { cost: number; calls: number; unpriced: number }>();
  for (const s of series) {
    const t = totals.get(nameOf(s.key)) ?? { cost: 0, calls: 0, unpriced: 0 };
    totals.set(nameOf(s.key), {
      cost: t.cost + s.cost,
      calls: t.calls + s.calls,
      unpriced: t.unpriced + (s.unpriced_calls ?? 0),
    });
  }
  const ranked = [...totals.keys()].sort((a, b) => totals.get(b)!.cost - totals.get(a)!.cost);
  const named = ranked.slice(0, PALETTE.length - 1);
  const legend = ranked.length > named.length ? [...named, OTHER] : named;
  const colour = (name: string) => PALETTE[name === OTHER ? PALETTE.length - 1 : named.indexOf(name)]!;
  const perBucket = new Map<number, SeriesRow[]>();
  for (const s of series) perBucket.set(s.bucket, [...(perBucket.get(s.bucket) ?? []), s]);
  const stacks = buckets.map((b) => {
    const parts = new Map<string, number>();
    for (const r of perBucket.get(b) ?? []) {
      const name = named.includes(nameOf(r.key)) ? nameOf(r.key) : OTHER;
      parts.set(name, (parts.get(name) ?? 0) + r.cost);
    }
    return legend.filter((n) => parts.get(n)).map((n) => ({ name: n, cost: parts.get(n)! }));
  });
  const max = Math.max(0, ...stacks.map((parts) => parts.reduce((n, p) => n + p.cost, 0)));
  if (!series.length) return <p class="muted">No model calls in this range.</p>;

  const { ticks, top } = dollarTicks(max, 4);
  const left = Math.max(...ticks.map((t) => t.label.length)) * 7 + 12;
  const plotW = Math.max(40, width - left - PAD.right);
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const step = plotW / buckets.length;
  const gap = step > 8 ? Math.min(6, step * 0.2) : step > 3 ? 1 : 0;
  const y = (usd: number) => PAD.top + plotH - (usd / top) * plotH;
  // A date label every few bars, so labels never overlap.
  const every = Math.max(1, Math.ceil((interval === "day" ? 52 : 48) / step));
  const labelAt = (i: number) => {
    const t = buckets[i]!;
    if (interval === "day") return dayLabel(t);
    return new Date(t).getHours() === 0 || i === 0 ? dayLabel(t) : hourLabel(t);
  };
  const pick = (e: MouseEvent) => {
    const rect = (e.currentTarget as SVGElement).getBoundingClientRect();
    const i = Math.floor((e.clientX - rect.left - left) / step);
    active.value = i >= 0 && i < buckets.length ? i : null;
  };
  const shown = active.value;
  const readoutWhen = (i: number) =>
    interval === "day" ? `${dayLabel(buckets[i]!)} (UTC)` : `${dayLabel(buckets[i]!)}, ${hourLabel(buckets[i]!)}`;

  return (
    <figure class="chart" data-testid="cost-chart">
      <div
        class="chart-plot"
        ref={box}
        role="slider"
        tabIndex={0}
        aria-label={`Cost per ${interval}, ${buckets.length} bars: arrow keys read each bar`}
        aria-valuemin={0}
        aria-valuemax={buckets.length - 1}
        aria-valuenow={shown ?? buckets.length - 1}
        aria-valuetext={shown === null ? undefined : readoutWhen(shown)}
        onKeyDown={(e) => {
          const move = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
          if (!move) return;
          e.preventDefault();
          active.value = Math.min(buckets.length - 1, Math.max(0, (active.value ?? buckets.length) + move));
        }}
        onBlur={() => (active.value = null)}
      >
        {/* biome-ignore lint/a11y/noSvgWithoutTitle: the figure's label and the readout describe it */}
        <svg width={width} height={HEIGHT} role="img" onMouseMove={pick} onMouseLeave={() => (active.value = null)}>
          <g class="y-axis">
            {ticks.map((t) => (
              <g key={t.at}>
                <line x1={left} x2={left + plotW} y1={y(t.at)} y2={y(t.at)} class="grid" />
                <text x={left - 6} y={y(t.at)} dy="0.32em" text-anchor="end">
                  {t.label}
                </text>
              </g>
            ))}
          </g>
          <g class="bars">
            {stacks.map((parts, i) => {
              let base = 0;
              return (
                <g key={buckets[i]} class={`bucket${shown === i ? " active" : ""}`} data-bucket={buckets[i]}>
                  {shown === i && <rect class="hover" x={left + i * step} y={PAD.top} width={step} height={plotH} />}
                  {parts.map((p) => {
                    const y0 = y(base);
                    base += p.cost;
                    return (
                      <rect
                        key={p.name}
                        x={left + i * step + gap / 2}
                        y={y(base)}
                        width={Math.max(1, step - gap)}
                        height={Math.max(0.5, y0 - y(base))}
                        fill={colour(p.name)}
                      />
                    );
                  })}
                </g>
              );
            })}
          </g>
          <g class="x-axis">
            <line x1={left} x2={left + plotW} y1={PAD.top + plotH} y2={PAD.top + plotH} class="axis" />
            {buckets.map((t, i) =>
              i % every === 0 ? (
                <text key={t} x={left + i * step + step / 2} y={HEIGHT - 6} text-anchor="middle">
                  {labelAt(i)}
                </text>
              ) : null,
            )}
          </g>
        </svg>
        {shown !== null && (
          <ChartReadout
            x={left + shown * step + step / 2}
            width={width}
            when={
              interval === "day"
                ? `${dayLabel(buckets[shown]!)} (UTC)`
                : `${dayLabel(buckets[shown]!)} ${hourLabel(buckets[shown]!)}`
            }
            rows={(perBucket.get(buckets[shown]!) ?? []).map((r) => ({ ...r, name: nameOf(r.key) }))}
            colour={(name) => colour(named.includes(name) ? name : OTHER)}
          />
        )}
      </div>
      <figcaption class="legend">
        {legend.map((k) => (
          <span key={k}>
            <i style={{ background: colour(k) }} />
            {k}{" "}
            {k !== OTHER && (
              <span class="muted">
                {partialCost(totals.get(k)!.cost, totals.get(k)!.unpriced, totals.get(k)!.calls)}
              </span>
            )}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
