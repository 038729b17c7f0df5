// Counts per label over time as stacked bars in inline SVG (no chart library): a bar per bucket split by label, a
// count axis with round ticks, a legend, and a readout of the bucket under the pointer (or the arrow keys); a click (or
// Enter) opens what happened in that bucket.
import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import { DAY_MS } from "../lib/format.ts";
import { niceStep } from "../lib/ticks.ts";
import { useWidth } from "../lib/use-width.ts";

export type Stack = { name: string; values: number[]; colour: string };
type Props = {
  title: string;
  times: number[];
  bucketMs: number;
  stacks: Stack[];
  onPick?: (t: number) => void;
  testId?: string;
};

const HEIGHT = 160;
const PAD = { top: 8, right: 8, bottom: 22 };
const dayLabel = (ms: number) => new Date(ms).toLocaleDateString(undefined, { month: "short", day: "numeric" });
const clock = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
const whenOf = (t: number, size: number) => (size >= DAY_MS ? dayLabel(t) : `${dayLabel(t)} ${clock(t)}`);

export function StackedBars({ title, times, bucketMs, stacks, onPick, testId }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box, 400).value;
  const active = useSignal<number | null>(null);
  const n = times.length;
  const totals = times.map((_, i) => stacks.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(0, ...totals);
  const step = Math.max(1, niceStep(max > 0 ? max : 1, 3));
  const top = Math.max(1, Math.ceil(max / step - 1e-9)) * step;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const left = Math.max(...ticks.map((t) => String(t).length)) * 6.5 + 10;
  const plotW = Math.max(40, width - left - PAD.right);
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, n);
  const bar = Math.max(1, slot * 0.75);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const every = Math.max(1, Math.ceil((bucketMs >= DAY_MS ? 50 : 80) / slot));
  const indexAt = (e: MouseEvent) => {
    const rect = (e.currentTarget as SVGElement).getBoundingClientRect();
    const i = Math.floor((e.clientX - rect.left - left) / slot);
    return i >= 0 && i < n ? i : null;
  };
  const shown = active.value;
  return (
    <figure class="chart metric-chart stacked-bars" data-testid={testId}>
      <figcaption class="chart-title">
        <strong>{title}</strong>
        <span class="legend">
          {stacks.map((s) => (
            <span key={s.name}>
              <i style={{ background: s.colour }} />
              {s.name}
            </span>
          ))}
        </span>
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
                {t}
              </text>
            </g>
          ))}
          {shown !== null && <rect class="hover" x={left + shown * slot} y={PAD.top} width={slot} height={plotH} />}
          {times.map((t, i) => {
            let base = 0;
            return (
              <g key={t}>
                {stacks.map((s) => {
                  const v = s.values[i] ?? 0;
                  if (!v) return null;
                  const rect = (
                    <rect
                      key={s.name}
                      x={left + slot * i + (slot - bar) / 2}
                      y={y(base + v)}
                      width={bar}
                      height={y(base) - y(base + v)}
                      fill={s.colour}
                    />
                  );
                  base += v;
                  return rect;
                })}
              </g>
            );
          })}
          <line x1={left} x2={left + plotW} y1={PAD.top + plotH} y2={PAD.top + plotH} class="axis" />
          {times.map((t, i) =>
            i % every === 0 ? (
              <text key={t} x={left + slot * i + slot / 2} y={HEIGHT - 5} text-anchor="middle">
                {bucketMs >= DAY_MS || new Date(t).getHours() + new Date(t).getMinutes() === 0 || i === 0
                  ? dayLabel(t)
                  : clock(t)}
              </text>
            ) : null,
          )}
        </svg>
        {max === 0 && <p class="chart-empty muted">None in this range</p>}
        {shown !== null && (
          <div
            class="readout"
            role="status"
            data-testid="chart-readout"
            style={
              left + slot * shown + 184 <= width
                ? { left: `${left + slot * (shown + 1) + 4}px` }
                : { left: `${Math.max(0, left + slot * shown - 226)}px` }
            }
          >
            <strong>{whenOf(times[shown]!, bucketMs)}</strong>
            <ul class="plain">
              {stacks.map((s) => (
                <li key={s.name}>
                  <i style={{ background: s.colour }} />
                  <span class="name">{s.name}</span>
                  <span>{s.values[shown] ?? 0}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </figure>
  );
}
