// The cost chart's readout for one bucket: when, the total, and each model's part (unpriced calls said as such).
import type { CostSeriesPoint } from "../../contract/costs.ts";
import { cost, partialCost } from "../lib/format.ts";

type Row = Pick<CostSeriesPoint, "cost" | "calls" | "unpriced_calls"> & { name: string };
type Props = { x: number; width: number; when: string; rows: Row[]; colour: (name: string) => string };

const SHOWN = 6;
const READOUT_PX = 220;

export function ChartReadout({ x, width, when, rows, colour }: Props) {
  const sorted = [...rows].sort((a, b) => b.cost - a.cost);
  const total = rows.reduce((n, r) => n + r.cost, 0);
  const calls = rows.reduce((n, r) => n + r.calls, 0);
  const unpriced = rows.reduce((n, r) => n + (r.unpriced_calls ?? 0), 0);
  // Beside the bar, on whichever side has room.
  const side =
    x + 12 + READOUT_PX <= width ? { left: `${x + 12}px` } : { left: `${Math.max(0, x - 12 - READOUT_PX)}px` };
  return (
    <div class="readout" role="status" data-testid="chart-readout" style={side}>
      <strong>{when}</strong>
      <div>{calls ? `${partialCost(total, unpriced, calls)} · ${calls} call(s)` : "No model calls"}</div>
      {sorted.length > 0 && (
        <ul class="plain">
          {sorted.slice(0, SHOWN).map((r) => (
            <li key={r.name}>
              <i style={{ background: colour(r.name) }} />
              <span class="name">{r.name}</span>
              <span>{r.unpriced_calls && r.unpriced_calls >= r.calls ? "no price" : cost(r.cost)}</span>
            </li>
          ))}
          {sorted.length > SHOWN && <li class="muted">and {sorted.length - SHOWN} more</li>}
        </ul>
      )}
    </div>
  );
}
