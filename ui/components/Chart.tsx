// Every time chart of the dashboard, the Overview's and the cost chart (inline SVG, no chart library): a line per series
// (gaps where a bucket has no value, a dot on the bucket under the pointer) or a bar per bucket stacked by series;
// title and legend, a value axis with round ticks and its grid, a time axis, a readout of the bucket under the pointer
// (or the arrow keys: the plot is a slider), and a click (or Enter) that opens what happened in that bucket.
import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useRef } from "preact/hooks";
import { clockOf, DAY_MS, dayOf } from "../lib/format.ts";
import { niceStep } from "../lib/ticks.ts";
import { useWidth } from "../lib/use-width.ts";

/** `note`: said after the name in the legend (a model's cost). */
export type Series = { name: string; values: Array<number | null>; colour: string; note?: string };
type Props = {
  title: string;
  /** Bucket starts (epoch ms), one per value of every series. */
  times: number[];
  bucketMs: number;
  series: Series[];
  /** Stacked bars (default: lines). */
  bars?: boolean;
  /** Axis and readout values (default: as numbers). */
  format?: (n: number) => string;
  /** Counts: ticks at whole numbers (default for bars). */
  whole?: boolean;
  /** The legend even for a single series (default for bars). */
  legend?: boolean;
  /** The figure's class beside "chart" (default: the Overview's look). */
  class?: string;
  /** The SVG's height, as the class's CSS sets it (default 160); taller charts get more value ticks. */
  height?: number;
  /** Buckets are UTC days or hours: dates said in UTC. */
  utc?: boolean;
  /** What the readout lists for bucket i (default: each series' value). */
  readout?: (i: number) => ComponentChildren;
  onPick?: (t: number) => void;
  testId?: string;
};

const PAD = { top: 8, right: 8, bottom: 22 };
/** The readout's width (220 px in costs.css) and a gap. */
const READOUT = 226;

export function Chart(props: Props) {
  const { title, times, bucketMs, series, bars, format = String, onPick, height = 160 } = props;
  // The axis reaches the tallest stack, or the highest value.
  const max = Math.max(
    0,
    ...(bars
      ? times.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0))
      : series.flatMap((s) => s.values.filter((v) => v !== null))),
  );
  const whenOf = (t: number) =>
    bucketMs < DAY_MS ? `${dayOf(t, props.utc)} ${clockOf(t)}` : props.utc ? `${dayOf(t, true)} (UTC)` : dayOf(t);
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box, 400).value;
  const active = useSignal<number | null>(null);
  const step = Math.max((props.whole ?? bars) ? 1 : 0, niceStep(max > 0 ? max : 1, Math.round(height / 50)));
  const top = Math.max(1, Math.ceil(max / step - 1e-9)) * step;
  // An empty chart has only its zero line: a scale above it ("500 µs") would measure nothing.
  const ticks = max === 0 ? [0] : Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const left = Math.max(...ticks.map((t) => format(t).length)) * 6.5 + 10;
  const plotW = Math.max(40, width - left - PAD.right);
  const plotH = height - PAD.top - PAD.bottom;
  const n = times.length;
  const slot = plotW / Math.max(1, n);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  // Labels far enough apart not to touch.
  const every = Math.max(1, Math.ceil((bucketMs >= DAY_MS ? 50 : 80) / slot));
  const indexAt = (e: MouseEvent) => {
    const rect = (e.currentTarget as SVGElement).getBoundingClientRect();
    const i = Math.floor((e.clientX - rect.left - left) / slot);
    return i >= 0 && i < n ? i : null;
  };
  const shown = active.value;
  const after = shown === null ? 0 : left + slot * (shown + 1) + 4;
  const x = (i: number) => left + slot * i + slot / 2;
  const bar = Math.max(1, slot * 0.75);
  const pathOf = (values: Array<number | null>) => {
    let d = "";
    let pen = false;
    values.forEach((v, i) => {
      if (v === null) pen = false;
      else {
        d += `${pen ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
        pen = true;
      }
    });
    return d;
  };
  return (
    <figure
      class={`chart ${props.class ?? (bars ? "metric-chart stacked-bars" : "metric-chart")}`}
      data-testid={props.testId}
    >
      <figcaption class="chart-title">
        <strong>{title}</strong>
        {((props.legend ?? bars) || series.length > 1) && (
          <span class="legend">
            {series.map((s) => (
              <span key={s.name}>
                <i style={{ background: s.colour }} />
                {s.name}
                {s.note && <span class="muted"> {s.note}</span>}
              </span>
            ))}
          </span>
        )}
      </figcaption>
      <div
        class="chart-plot"
        ref={box}
        role="slider"
        tabIndex={0}
        aria-label={`${title} per bucket, ${n} buckets: arrow keys read each${onPick ? ", Enter opens its traces" : ""}`}
        aria-valuemin={0}
        aria-valuemax={n - 1}
        aria-valuenow={shown ?? n - 1}
        aria-valuetext={shown === null ? undefined : whenOf(times[shown]!)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && shown !== null) onPick?.(times[shown]!);
          const move = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
          if (!move) return;
          e.preventDefault();
          active.value = Math.min(n - 1, Math.max(0, (active.value ?? n) + move));
        }}
        onBlur={() => (active.value = null)}
        onClick={(e) => {
          const i = indexAt(e);
          if (i !== null) onPick?.(times[i]!);
        }}
      >
        {/* biome-ignore lint/a11y/noSvgWithoutTitle: the figure's caption and the readout describe it */}
        <svg
          width={width}
          height={height}
          role="img"
          class={onPick ? "pickable" : undefined}
          onMouseMove={(e) => (active.value = indexAt(e))}
          onMouseLeave={() => (active.value = null)}
        >
          <g class="y-axis">
            {ticks.map((t) => (
              <g key={t}>
                <line x1={left} x2={left + plotW} y1={y(t)} y2={y(t)} class="grid" />
                <text x={left - 6} y={y(t)} dy="0.32em" text-anchor="end">
                  {format(t)}
                </text>
              </g>
            ))}
          </g>
          {shown !== null && <rect class="hover" x={left + shown * slot} y={PAD.top} width={slot} height={plotH} />}
          {bars
            ? times.map((t, i) => {
                let base = 0;
                return (
                  <g key={t} class="bucket" data-bucket={t}>
                    {series.map((s) => {
                      const v = s.values[i] ?? 0;
                      if (!v) return null;
                      base += v;
                      return (
                        <rect
                          key={s.name}
                          x={x(i) - bar / 2}
                          y={y(base)}
                          width={bar}
                          height={y(base - v) - y(base)}
                          fill={s.colour}
                        />
                      );
                    })}
                  </g>
                );
              })
            : series.map((s) => (
                <g key={s.name}>
                  <path d={pathOf(s.values)} fill="none" stroke={s.colour} stroke-width="1.75" />
                  {shown !== null && s.values[shown] !== null && (
                    <circle cx={x(shown)} cy={y(s.values[shown]!)} r="3" fill={s.colour} />
                  )}
                </g>
              ))}
          <g class="x-axis">
            <line x1={left} x2={left + plotW} y1={PAD.top + plotH} y2={PAD.top + plotH} class="axis" />
            {times.map((t, i) =>
              i % every === 0 ? (
                <text key={t} x={x(i)} y={height - 5} text-anchor="middle">
                  {bucketMs >= DAY_MS || new Date(t).getHours() + new Date(t).getMinutes() === 0 || i === 0
                    ? dayOf(t, props.utc)
                    : clockOf(t)}
                </text>
              ) : null,
            )}
          </g>
        </svg>
        {max === 0 && <p class="chart-empty muted">None in this range</p>}
        {shown !== null && (
          <div
            class="readout"
            role="status"
            data-testid="chart-readout"
            style={{ left: `${after + READOUT <= width ? after : Math.max(0, left + slot * shown - READOUT)}px` }}
          >
            <strong>{whenOf(times[shown]!)}</strong>
            {props.readout ? (
              props.readout(shown)
            ) : (
              <ul class="plain">
                {series.map((s) => (
                  <li key={s.name}>
                    <i style={{ background: s.colour }} />
                    <span class="name">{s.name}</span>
                    <span>{s.values[shown] == null ? "—" : format(s.values[shown]!)}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
    </figure>
  );
}
