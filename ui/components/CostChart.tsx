// Cost over time, stacked by model: a small inline SVG (no chart library).
import type { CostSeriesPoint } from "../../contract/costs.ts";
import { cost } from "../lib/format.ts";

type SeriesRow = Pick<CostSeriesPoint, "bucket" | "key" | "cost">;

const label = (key: SeriesRow["key"]) => (key === null ? "(none)" : String(key));

const PALETTE = ["#7c3aed", "#2563eb", "#16a34a", "#ea580c", "#db2777", "#0891b2", "#ca8a04", "#6b7280"];

export function CostChart({ series, interval }: { series: SeriesRow[]; interval: "hour" | "day" }) {
  const buckets = [...new Set(series.map((s) => s.bucket))].sort((a, b) => a - b);
  const totals = new Map<string, number>();
  for (const s of series) totals.set(label(s.key), (totals.get(label(s.key)) ?? 0) + s.cost);
  const keys = [...totals.keys()].sort((a, b) => totals.get(b)! - totals.get(a)!);
  const top = keys.slice(0, PALETTE.length - 1);
  const colour = (k: string) => PALETTE[top.includes(k) ? top.indexOf(k) : PALETTE.length - 1]!;
  const perBucket = buckets.map((b) => series.filter((s) => s.bucket === b));
  const max = Math.max(1e-9, ...perBucket.map((rows) => rows.reduce((n, r) => n + r.cost, 0)));
  const W = 800,
    H = 180,
    gap = 2;
  const w = buckets.length ? W / buckets.length : W;
  if (!buckets.length) return <p class="muted">No model calls in this range.</p>;
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`Cost per ${interval}, stacked by model`}
        preserveAspectRatio="none"
      >
        {perBucket.map((rows, i) => {
          let y = H;
          return rows
            .sort((a, b) => keys.indexOf(label(a.key)) - keys.indexOf(label(b.key)))
            .map((r) => {
              const h = (r.cost / max) * (H - 4);
              y -= h;
              return (
                <rect
                  key={`${i}-${r.key}`}
                  x={i * w + gap / 2}
                  y={y}
                  width={Math.max(1, w - gap)}
                  height={h}
                  fill={colour(label(r.key))}
                >
                  <title>{`${new Date(buckets[i]!).toLocaleString()} · ${r.key}: ${cost(r.cost)}`}</title>
                </rect>
              );
            });
        })}
      </svg>
      <figcaption class="legend">
        {[...top, ...(keys.length > top.length ? ["other"] : [])].map((k) => (
          <span key={k}>
            <i style={{ background: k === "other" ? PALETTE.at(-1) : colour(k) }} />
            {k}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
