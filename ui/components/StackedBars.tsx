// Values per label over time (counts by default): a bar per bucket split by label, in the shared chart frame
// (ChartFrame.tsx: axes, legend, readout, keys, clicks).
import { ChartFrame, type FrameProps } from "./ChartFrame.tsx";

export type Stack = { name: string; values: number[]; colour: string; note?: string };
type Props = Omit<FrameProps, "series" | "max" | "plot" | "format"> & {
  stacks: Stack[];
  format?: FrameProps["format"];
};

export function StackedBars({ stacks, ...frame }: Props) {
  const totals = frame.times.map((_, i) => stacks.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  return (
    <ChartFrame
      class="metric-chart stacked-bars"
      format={String}
      whole
      legend
      {...frame}
      series={stacks}
      max={Math.max(0, ...totals)}
      plot={({ left, slot, y }) => {
        const bar = Math.max(1, slot * 0.75);
        return frame.times.map((t, i) => {
          let base = 0;
          return (
            <g key={t} class="bucket" data-bucket={t}>
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
