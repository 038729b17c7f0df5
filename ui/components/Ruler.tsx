// The waterfall's time axis: round ticks for the shown range, labelled precisely enough to tell them apart at any zoom
// (s, ms, µs), and drag across it to zoom to the dragged span.
import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import { fittedTimeTicks } from "../lib/time-ticks.ts";
import { useWidth } from "../lib/use-width.ts";

/** An axis label's width in px, roughly (the ruler's small tabular digits), with a gap. */
const labelWidth = (label: string) => label.length * 6.5 + 8;

/**
 * Each tick's place (0–1) and alignment: labels at the edges stay inside the lane (start / end aligned), and a label
 * that would overlap the one before it is left out (the end-aligned last one, which reaches left, replaces it).
 */
function placed(ticks: ReturnType<typeof fittedTimeTicks>, a: number, b: number, width: number) {
  const out: { t: (typeof ticks)[number]; f: number; align: "start" | "mid" | "end" }[] = [];
  let right = Number.NEGATIVE_INFINITY;
  for (const t of ticks) {
    const f = (t.at - a) / Math.max(1e-9, b - a);
    const align = f * width < 40 ? "start" : (1 - f) * width < 40 ? "end" : "mid";
    const w = labelWidth(t.label);
    const x = f * width;
    const left = align === "start" ? x : align === "end" ? x - w : x - w / 2;
    if (left < right) {
      // The last label (the range's end) is kept over the one before it.
      if (align !== "end" || out.length < 2) continue;
      out.pop();
    }
    out.push({ t, f, align });
    right = left + w;
  }
  return out;
}

export function Ruler({
  range,
  origin,
  onZoom,
}: {
  range: [number, number];
  origin: number;
  onZoom: (range: [number, number]) => void;
}) {
  const drag = useSignal<{ from: number; to: number; left: number; width: number } | null>(null);
  const lane = useRef<HTMLDivElement>(null);
  const width = useWidth(lane, 300).value;
  const [a, b] = range;
  const at = (e: MouseEvent) => {
    const box = (e.currentTarget as HTMLElement).getBoundingClientRect();
    return Math.min(1, Math.max(0, (e.clientX - box.left) / box.width));
  };
  const d = drag.value;
  const ticks = fittedTimeTicks(a, b, origin, width);
  return (
    <div class="ruler" aria-hidden="true">
      <div class="ruler-label">drag on the axis to zoom</div>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: pointer-only zoom; keyboard users have the +/− and zoom-to-span buttons */}
      <div
        class="ruler-lane"
        ref={lane}
        data-testid="ruler"
        onMouseDown={(e) => {
          const x = at(e);
          drag.value = { from: x, to: x, left: x, width: 0 };
        }}
        onMouseMove={(e) => {
          if (!drag.value) return;
          const x = at(e);
          drag.value = {
            ...drag.value,
            to: x,
            left: Math.min(drag.value.from, x),
            width: Math.abs(x - drag.value.from),
          };
        }}
        onMouseUp={() => {
          const sel = drag.value;
          drag.value = null;
          if (!sel || sel.width < 0.01) return;
          onZoom([a + (b - a) * sel.left, a + (b - a) * (sel.left + sel.width)]);
        }}
        onMouseLeave={() => (drag.value = null)}
      >
        {placed(ticks, a, b, width).map(({ t, f, align }) => (
          <span key={t.at} class={`tick ${align}`} style={{ left: `${f * 100}%` }}>
            {t.label}
          </span>
        ))}
        {d && <span class="selection" style={{ left: `${d.left * 100}%`, width: `${d.width * 100}%` }} />}
      </div>
    </div>
  );
}
