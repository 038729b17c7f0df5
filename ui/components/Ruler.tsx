// The waterfall's time axis: tick labels for the shown range, and drag across it to zoom to the dragged span.
import { useSignal } from "@preact/signals";
import { duration } from "../lib/format.ts";

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
  const [a, b] = range;
  const at = (e: MouseEvent) => {
    const box = (e.currentTarget as HTMLElement).getBoundingClientRect();
    return { x: Math.min(1, Math.max(0, (e.clientX - box.left) / box.width)), box };
  };
  const d = drag.value;
  return (
    <div class="ruler" aria-hidden="true">
      <div class="ruler-label">drag on the axis to zoom</div>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: pointer-only zoom; keyboard users have the +/− and zoom-to-span buttons */}
      <div
        class="ruler-lane"
        data-testid="ruler"
        onMouseDown={(e) => {
          const { x } = at(e);
          drag.value = { from: x, to: x, left: x, width: 0 };
        }}
        onMouseMove={(e) => {
          if (!drag.value) return;
          const { x } = at(e);
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
        {[0, 0.25, 0.5, 0.75, 1].map((f) => (
          <span key={f} class="tick" style={{ left: `${f * 100}%` }}>
            {duration(a + (b - a) * f - origin)}
          </span>
        ))}
        {d && <span class="selection" style={{ left: `${d.left * 100}%`, width: `${d.width * 100}%` }} />}
      </div>
    </div>
  );
}
