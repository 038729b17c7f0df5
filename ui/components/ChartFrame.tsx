// The frame every time chart shares, the Overview's and the cost chart (inline SVG, no chart library): title and legend,
// a value axis with round ticks and its grid, a time axis, a readout of the bucket under the pointer (or the arrow keys:
// the plot is a slider), and a click (or Enter) that opens what happened in that bucket. The chart draws its marks in
// `plot`.
import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useRef } from "preact/hooks";
import { DAY_MS } from "../lib/format.ts";
import { niceStep } from "../lib/ticks.ts";
import { useWidth } from "../lib/use-width.ts";

/** `note`: said after the name in the legend (a model's cost). */
export type Series = { name: string; values: Array<number | null>; colour: string; note?: string };
/** Where the chart's marks go: bucket i's slot starts at `left + slot * i`; `y` maps a value to its height. */
export type Geometry = { left: number; slot: number; y: (v: number) => number; shown: number | null };
export type FrameProps = {
  title: string;
  /** Bucket starts (epoch ms), one per value of every series. */
  times: number[];
  bucketMs: number;
  series: Series[];
  /** The highest value the axis must reach (a stack's total for stacked bars). */
  max: number;
  format: (n: number) => string;
  /** Counts: ticks at whole numbers. */
  whole?: boolean;
  /** The legend even for a single series. */
  legend?: boolean;
  /** The figure's class beside "chart" (default "metric-chart": the Overview's look). */
  class?: string;
  /** The SVG's height, as the class's CSS sets it (default 160); taller charts get more value ticks. */
  height?: number;
  /** Buckets are UTC days or hours: dates said in UTC. */
  utc?: boolean;
  /** What the readout lists for bucket i (default: each series' value). */
  readout?: (i: number) => ComponentChildren;
  onPick?: (t: number) => void;
  testId?: string;
  plot: (g: Geometry) => ComponentChildren;
};

const PAD = { top: 8, right: 8, bottom: 22 };
/** The readout's width (220 px in costs.css) and a gap. */
const READOUT = 226;

const clock = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });

export function ChartFrame(props: FrameProps) {
  const { title, times, bucketMs, series, max, format, onPick, plot, height = 160 } = props;
  const timeZone = props.utc ? "UTC" : undefined;
  const dayLabel = (ms: number) =>
    new Date(ms).toLocaleDateString(undefined, { month: "short", day: "numeric", timeZone });
  const whenOf = (t: number) =>
    bucketMs < DAY_MS ? `${dayLabel(t)} ${clock(t)}` : timeZone ? `${dayLabel(t)} (UTC)` : dayLabel(t);
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box, 400).value;
  const active = useSignal<number | null>(null);
  const step = Math.max(props.whole ? 1 : 0, niceStep(max > 0 ? max : 1, Math.round(height / 50)));
  const top = Math.max(1, Math.ceil(max / step - 1e-9)) * step;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
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
  return (
    <figure class={`chart ${props.class ?? "metric-chart"}`} data-testid={props.testId}>
      <figcaption class="chart-title">
        <strong>{title}</strong>
        {(props.legend || series.length > 1) && (
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
          {plot({ left, slot, y, shown })}
          <g class="x-axis">
            <line x1={left} x2={left + plotW} y1={PAD.top + plotH} y2={PAD.top + plotH} class="axis" />
            {times.map((t, i) =>
              i % every === 0 ? (
                <text key={t} x={left + slot * i + slot / 2} y={height - 5} text-anchor="middle">
                  {bucketMs >= DAY_MS || new Date(t).getHours() + new Date(t).getMinutes() === 0 || i === 0
                    ? dayLabel(t)
                    : clock(t)}
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
