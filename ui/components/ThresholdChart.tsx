// A small chart of an alert's metric against its threshold: the values as a line, the threshold dashed, the points
// that cross it in red. Inline SVG, scaled to its box.
import type { AlertOp } from "../../contract/alerts.ts";

type Props = { points: Array<[number, number | null]>; threshold: number; op: AlertOp; label: string; tall?: boolean };

const crosses = (v: number, op: AlertOp, t: number) =>
  op === ">" ? v > t : op === ">=" ? v >= t : op === "<" ? v < t : v <= t;

export function ThresholdChart({ points, threshold, op, label, tall = false }: Props) {
  const W = 240;
  const H = tall ? 90 : 28;
  const values = points.flatMap(([, v]) => (v === null ? [] : [v]));
  const top = Math.max(threshold, ...values) * 1.1 || 1;
  const bottom = Math.min(0, ...values);
  const y = (v: number) => H - 2 - ((v - bottom) / (top - bottom || 1)) * (H - 4);
  const x = (i: number) => (points.length < 2 ? W / 2 : (i / (points.length - 1)) * W);
  if (!values.length)
    return tall ? (
      <p class="muted">No values yet: the rule is evaluated every minute.</p>
    ) : (
      <span class="muted">—</span>
    );
  const line = points
    .map(([, v], i) => (v === null ? null : `${x(i).toFixed(1)},${y(v).toFixed(1)}`))
    .filter(Boolean)
    .join(" ");
  return (
    <svg
      class={tall ? "threshold-chart tall" : "threshold-chart"}
      viewBox={`0 0 ${W} ${H}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={label}
      data-testid="threshold-chart"
    >
      <line class="threshold" x1="0" x2={W} y1={y(threshold)} y2={y(threshold)} />
      {line && <polyline class="values" points={line} />}
      {points.map(([at, v], i) =>
        v !== null && crosses(v, op, threshold) ? <circle key={at} class="over" cx={x(i)} cy={y(v)} r="2" /> : null,
      )}
    </svg>
  );
}
