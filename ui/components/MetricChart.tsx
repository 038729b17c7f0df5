// One metric over time: a line per series (gaps where a bucket has no value) and a dot per line on the bucket under the
// pointer, in the shared chart frame (ChartFrame.tsx: axes, legend, readout, keys, clicks).
import { ChartFrame, type Series } from "./ChartFrame.tsx";

export type Line = Series;
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

export function MetricChart({ lines, ...frame }: Props) {
  const max = Math.max(0, ...lines.flatMap((l) => l.values.filter((v): v is number => v !== null)));
  return (
    <ChartFrame
      {...frame}
      series={lines}
      max={max}
      plot={({ left, slot, y, shown }) => {
        const x = (i: number) => left + slot * i + slot / 2;
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
        return (
          <>
            {lines.map((l) => (
              <path key={l.name} d={pathOf(l.values)} fill="none" stroke={l.colour} stroke-width="1.75" />
            ))}
            {shown !== null &&
              lines.map((l) =>
                l.values[shown] === null ? null : (
                  <circle key={l.name} cx={x(shown)} cy={y(l.values[shown]!)} r="3" fill={l.colour} />
                ),
              )}
          </>
        );
      }}
    />
  );
}
