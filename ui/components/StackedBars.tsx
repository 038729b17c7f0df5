// Counts per label over time: a bar per bucket split by label, in the shared chart frame (ChartFrame.tsx: axes, legend,
// readout, keys, clicks).
import { ChartFrame } from "./ChartFrame.tsx";

export type Stack = { name: string; values: number[]; colour: string };
type Props = {
  title: string;
  times: number[];
  bucketMs: number;
  stacks: Stack[];
  onPick?: (t: number) => void;
  testId?: string;
};

export function StackedBars({ stacks, ...frame }: Props) {
  const totals = frame.times.map((_, i) => stacks.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  return (
    <ChartFrame
      {...frame}
      class="stacked-bars"
      series={stacks}
      max={Math.max(0, ...totals)}
      format={String}
      whole
      legend
      plot={({ left, slot, y }) => {
        const bar = Math.max(1, slot * 0.75);
        return frame.times.map((t, i) => {
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
        });
      }}
    />
  );
}
