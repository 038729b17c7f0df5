// One metric over time as inline SVG (no chart library): a line per series (gaps where a bucket has no value), a value
// axis with round ticks in the metric's unit, a time axis, a readout of the bucket under the pointer (or the arrow
// keys), and a click (or Enter) that opens what happened in that bucket.
import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import { DAY_MS } from "../lib/format.ts";
import { niceStep } from "../lib/ticks.ts";
import { useWidth } from "../lib/use-width.ts";

export type Line = { name: string; values: Array<number | null>; colour: string };
type Props = {
  title: string;
  /** Bucket starts (epoch ms), one per value of every line. */
  times: number[];
  bucketMs: number;
  lines: Line[];
  format: (n: number) => string;
  onPick?: (t: number) => void;
  testId?: string;
};

const HEIGHT = 160;
const PAD = { top: 8, right: 8, bottom: 22 };

const dayLabel = (ms: number) => new Date(ms).toLocaleDateString(undefined, { month: "short", day: "numeric" });
const clock = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
const whenOf = (t: number, size: number) => (size >= DAY_MS ? dayLabel(t) : `${dayLabel(t)} ${clock(t)}`);

export function MetricChart({ title, times, bucketMs, lines, format, onPick, testId }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box, 400).value;
  const active = useSignal<number | null>(null);
  const max = Math.max(0, ...lines.flatMap((l) => l.values.filter((v): v is number => v !== null)));
  const step = niceStep(max > 0 ? max : 1, 3);
  const top = Math.max(1, Math.ceil(max / step - 1e-9)) * step;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const left = Math.max(...ticks.map((t) => format(t).length)) * 6.5 + 10;
  const plotW = Math.max(40, width - left - PAD.right);
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const n = times.length;
  const slot = plotW / Math.max(1, n);
  const x = (i: number) => left + slot * i + slot / 2;
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  // Labels far enough apart not to touch.
  const every = Math.max(1, Math.ceil((bucketMs >= DAY_MS ? 50 : 80) / slot));
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
  const indexAt = (e: MouseEvent) => {
    const rect = (e.currentTarget as SVGElement).getBoundingClientRect();
    const i = Math.floor((e.clientX - rect.left - left) / slot);
    return i >= 0 && i < n ? i : null;
  };
  const shown = active.value;
  const empty = lines.every((l) => l.values.every((v) => v === null || v === 0));
  return (
    <figure class="chart metric-chart" data-testid={testId}>
      <figcaption class="chart-title">
        <strong>{title}</strong>
        {lines.length > 1 && (
          <span class="legend">
            {lines.map((l) => (
              <span key={l.name}>
                <i style={{ background: l.colour }} />
                {l.name}
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
        aria-label={`${title} per bucket, ${n} buckets: arrow keys read each, Enter opens its traces`}
        aria-valuemin={0}
        aria-valuemax={n - 1}
        aria-valuenow={shown ?? n - 1}
        aria-valuetext={shown === null ? undefined : whenOf(times[shown]!, bucketMs)}
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
          height={HEIGHT}
          role="img"
          class={onPick ? "pickable" : undefined}
          onMouseMove={(e) => (active.value = indexAt(e))}
          onMouseLeave={() => (active.value = null)}
        >
          {ticks.map((t) => (
            <g key={t}>
              <line x1={left} x2={left + plotW} y1={y(t)} y2={y(t)} class="grid" />
              <text x={left - 6} y={y(t)} dy="0.32em" text-anchor="end">
                {format(t)}
              </text>
            </g>
          ))}
          {shown !== null && <rect class="hover" x={left + shown * slot} y={PAD.top} width={slot} height={plotH} />}
          {lines.map((l) => (
            <path key={l.name} d={pathOf(l.values)} fill="none" stroke={l.colour} stroke-width="1.75" />
          ))}
          {shown !== null &&
            lines.map((l) =>
              l.values[shown] === null ? null : (
                <circle key={l.name} cx={x(shown)} cy={y(l.values[shown]!)} r="3" fill={l.colour} />
              ),
            )}
          <line x1={left} x2={left + plotW} y1={PAD.top + plotH} y2={PAD.top + plotH} class="axis" />
          {times.map((t, i) =>
            i % every === 0 ? (
              <text key={t} x={x(i)} y={HEIGHT - 5} text-anchor="middle">
                {bucketMs >= DAY_MS || new Date(t).getHours() + new Date(t).getMinutes() === 0 || i === 0
                  ? dayLabel(t)
                  : clock(t)}
              </text>
            ) : null,
          )}
        </svg>
        {empty && <p class="chart-empty muted">None in this range</p>}
        {shown !== null && (
          <div
            class="readout"
            role="status"
            data-testid="chart-readout"
            style={
              x(shown) + 172 <= width ? { left: `${x(shown) + 12}px` } : { left: `${Math.max(0, x(shown) - 172)}px` }
            }
          >
            <strong>{whenOf(times[shown]!, bucketMs)}</strong>
            <ul class="plain">
              {lines.map((l) => (
                <li key={l.name}>
                  <i style={{ background: l.colour }} />
                  <span class="name">{l.name}</span>
                  <span>{l.values[shown] === null ? "—" : format(l.values[shown]!)}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </figure>
  );
}
