// The Overview's scores: a chart per score name over the page's range, the mean over time for numeric and boolean
// scores, stacked counts per label for categorical ones. A bucket opens the trace list of that time with the score.
import type { ScoreMetricSeries } from "../../contract/score-metrics.ts";
import { INTERVAL_MS, type Window } from "../lib/overview.ts";
import { useApi } from "../lib/use-api.ts";
import { navigate } from "../state/router.ts";
import { Chart } from "./Chart.tsx";
import { ErrorNote } from "./ErrorNote.tsx";

const PALETTE = ["#2563eb", "#16a34a", "#ea580c", "#7c3aed", "#dc2626", "#0891b2", "#ca8a04", "#db2777"];
const OTHER = "#94a3b8";
/** Labels drawn per chart; the rest are one "other" stack. */
const MAX_STACKS = 6;

const mean = (n: number) => (Math.abs(n) >= 100 ? String(Math.round(n)) : String(Math.round(n * 100) / 100));
const share = (n: number) => `${Math.round(n * 100)}%`;

/** The stacks of a categorical series: its most used labels, and the rest (other labels, numbers) together. */
function stacksOf(s: ScoreMetricSeries) {
  const labels = Object.entries(s.total.values)
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_STACKS)
    .map(([label]) => label);
  const stacks = labels.map((name, i) => ({
    name,
    values: s.points.map((p) => p.values[name] ?? 0),
    colour: PALETTE[i % PALETTE.length]!,
  }));
  const rest = s.points.map((p) => p.count - labels.reduce((sum, l) => sum + (p.values[l] ?? 0), 0));
  if (rest.some((v) => v > 0)) stacks.push({ name: "other", values: rest, colour: OTHER });
  return stacks;
}

export function ScoreCharts({ project, w, userId }: { project: string; w: Window; userId?: string }) {
  const q = new URLSearchParams({ from: String(w.from), to: String(w.to), limit: "12" });
  if (w.interval) q.set("interval", w.interval);
  if (userId) q.set("user_id", userId);
  const answer = useApi(`/api/v1/metrics?view=scores&${q}`, { project });
  const data = answer.data.value;
  if (!data) return <ErrorNote error={answer.error} />;
  const size = INTERVAL_MS[data.interval];
  const open = (name: string) => (t: number) =>
    navigate(`/p/${project}/traces?${new URLSearchParams({ from: String(t), to: String(t + size), score: name })}`);
  return (
    <section class="score-charts" data-testid="overview-scores" aria-labelledby="overview-scores-title">
      <h2 id="overview-scores-title">Scores</h2>
      {!data.series.length ? (
        <p class="muted">
          No scores in this range: send them with <code>trace.score(…)</code> or <code>POST /api/v1/scores</code>, or
          annotate a trace (docs/scores.md).
        </p>
      ) : (
        <div class="charts">
          {data.series.map((s) => {
            const times = s.points.map((p) => p.t);
            const summary = `${s.total.count} scores`;
            if (s.total.avg === null)
              return (
                <Chart
                  bars
                  key={s.name}
                  title={`${s.name} · ${summary}`}
                  times={times}
                  bucketMs={size}
                  series={stacksOf(s)}
                  onPick={open(s.name)}
                  testId={`score-chart-${s.name}`}
                />
              );
            const boolean = s.kinds.length === 1 && s.kinds[0] === "boolean";
            return (
              <Chart
                key={s.name}
                title={`${s.name} · ${boolean ? `${share(s.total.avg)} true` : `avg ${mean(s.total.avg)}`} · ${summary}`}
                times={times}
                bucketMs={size}
                series={[
                  { name: boolean ? "share true" : "average", values: s.points.map((p) => p.avg), colour: "#2563eb" },
                ]}
                format={boolean ? share : mean}
                onPick={open(s.name)}
                testId={`score-chart-${s.name}`}
              />
            );
          })}
        </div>
      )}
      {data.more_names > 0 && <p class="muted">{data.more_names} more score names not shown.</p>}
    </section>
  );
}
