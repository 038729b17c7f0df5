// Costs: totals for a range, cost over time by model, breakdowns by model, user and project, the most expensive
// traces, models without a price (with "add a price" and a recompute), and CSV export.
import { useSignal } from "@preact/signals";
import type { CostGroupRow, CostReport } from "../../contract/costs.ts";
import { CostBreakdown } from "../components/CostBreakdown.tsx";
import { CostChart } from "../components/CostChart.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { Link } from "../components/Link.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { cost, DAY_MS, duration, HOUR_MS, isoDay, partialCost, shortTime, time, tokens } from "../lib/format.ts";
import { lazy } from "../lib/lazy.tsx";
import type { TraceSummary } from "../lib/types.ts";
import { useApi } from "../lib/use-api.ts";
import { query, setQuery } from "../state/router.ts";
import { allProjects, canManage, type Org } from "../state/session.ts";

/** Ranges end with the current bucket (the hour, or the UTC day), so 30 days are 30 day bars. */
const RANGES: Record<string, { label: string; buckets: number; interval: "hour" | "day" }> = {
  "24h": { label: "Last 24 hours", buckets: 24, interval: "hour" },
  "7d": { label: "Last 7 days", buckets: 7, interval: "day" },
  "30d": { label: "Last 30 days", buckets: 30, interval: "day" },
  "90d": { label: "Last 90 days", buckets: 90, interval: "day" },
};

// The CSV export and "add a price" load on first use (ui/pages/chunks/on-use.ts says why).
const actions = () => import("./chunks/on-use.ts");
const AddPrice = lazy(() => actions().then((m) => m.AddPrice));

async function download(report: CostReport) {
  const { costsCsv } = await actions();
  const url = URL.createObjectURL(new Blob([costsCsv(report)], { type: "text/csv;charset=utf-8" }));
  const a = Object.assign(document.createElement("a"), {
    href: url,
    download: `watchllm-costs-${isoDay(report.from)}.csv`,
  });
  a.click();
  URL.revokeObjectURL(url);
}

const topColumns = (project: string): Array<Column<TraceSummary>> => [
  {
    label: "Trace",
    title: (t) => `${t.name} (${t.trace_id})`,
    cell: (t) => <Link href={`/p/${project}/traces/${encodeURIComponent(t.trace_id)}`}>{t.name}</Link>,
  },
  {
    label: "Start",
    width: "9.5rem",
    priority: 2,
    title: (t) => time(t.start_time),
    cell: (t) => shortTime(t.start_time),
  },
  { label: "Duration", width: "6.4rem", numeric: true, priority: 2, cell: (t) => duration(t.duration_ms) },
  { label: "Tokens", width: "5rem", numeric: true, priority: 3, cell: (t) => tokens(t.total_tokens) },
  { label: "Cost", width: "6.6rem", numeric: true, cell: (t) => cost(t.total_cost) },
];

export function Costs({ project, org }: { project: string; org: Org }) {
  const rangeKey = query.value.get("range") ?? "30d";
  const range = RANGES[rangeKey] ?? RANGES["30d"]!;
  const size = range.interval === "hour" ? HOUR_MS : DAY_MS;
  const to = Math.ceil((Date.now() + 1) / size) * size;
  const from = to - range.buckets * size;
  const adding = useSignal<string | null>(null);
  const span = `from=${from}&to=${to}`;
  const report = useApi(`/api/v1/costs?${span}&group_by=model&interval=${range.interval}`, { project });
  const users = useApi(`/api/v1/costs?${span}&group_by=user&limit=10`, { project });
  const top = useApi(`/api/v1/traces?${span}&sort=cost&limit=10`, { project });
  const projects = useApi(canManage(org.role) ? `/api/orgs/${org.id}/costs?${span}&group_by=project` : null);
  const load = () => {
    report.reload();
    users.reload();
    top.reload();
    projects.reload();
  };
  const name = (id: CostGroupRow["key"]) => allProjects.value.find((p) => p.id === id)?.name ?? String(id ?? "");
  const r = report.data.value;
  return (
    <section class="costs">
      <header class="page-head">
        <h1>Costs</h1>
        <div class="actions">
          <label class="row-label">
            Range
            <select value={rangeKey} onChange={(e) => setQuery({ range: (e.target as HTMLSelectElement).value })}>
              {Object.entries(RANGES).map(([key, { label }]) => (
                <option key={key} value={key}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <button type="button" disabled={!r} onClick={() => r && download(r)}>
            Export CSV
          </button>
        </div>
      </header>
      <ErrorNote error={report.error} />
      <ErrorNote error={users.error} />
      <ErrorNote error={top.error} />
      <ErrorNote error={projects.error} />
      {!r ? (
        <p class="muted" aria-busy="true">
          Loading…
        </p>
      ) : (
        <>
          <dl class="totals" data-testid="cost-totals">
            {(
              [
                ["Cost", partialCost(r.totals.cost, r.totals.unpriced_calls, r.totals.calls)],
                ["Model calls", r.totals.calls],
                ["Input tokens", tokens(r.totals.input_tokens)],
                ["Cached", tokens(r.totals.cached_input_tokens)],
                ["Output tokens", tokens(r.totals.output_tokens)],
              ] as const
            ).map(([label, value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
            {r.cache_savings.hits > 0 && (
              <div data-testid="cache-savings" title="Gateway cache hits, priced as the calls they replaced">
                <dt>Saved by cache</dt>
                <dd>
                  {cost(r.cache_savings.cost)}{" "}
                  <span class="muted">
                    ({r.cache_savings.hits} {r.cache_savings.hits === 1 ? "hit" : "hits"})
                  </span>
                </dd>
              </div>
            )}
          </dl>
          {r.unknown_models.length > 0 && (
            <div class="notice" data-testid="unknown-models">
              <strong>{r.unknown_models.reduce((n, m) => n + m.calls, 0)} call(s) have no price</strong>: their model is
              not in the price table.
              <ul class="plain">
                {r.unknown_models.map((m) => (
                  <li key={m.model + m.provider}>
                    <code>{m.model}</code>
                    {m.provider && <span class="muted"> ({m.provider})</span>} · {m.calls} call(s){" "}
                    {adding.value === m.model ? (
                      <AddPrice
                        project={project}
                        model={m.model}
                        provider={m.provider}
                        onAdded={() => {
                          adding.value = null;
                          load();
                        }}
                      />
                    ) : (
                      <button type="button" class="link" onClick={() => (adding.value = m.model)}>
                        Add a price
                      </button>
                    )}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <h2>Cost per {r.interval}</h2>
          <CostChart series={r.series} interval={r.interval} from={r.from} to={r.to} />
          <CostBreakdown
            title="By model"
            testId="by-model"
            rows={r.groups}
            label={(k) => (k === null || k === "" ? "(no model)" : String(k))}
          />
          <div class="grid-2">
            {users.data.value && (
              <CostBreakdown
                title="By user"
                rows={users.data.value.groups}
                label={(k) => (k === null ? "(no user)" : String(k))}
              />
            )}
            {projects.data.value && <CostBreakdown title="By project" rows={projects.data.value.groups} label={name} />}
          </div>
          <h2>Most expensive traces</h2>
          <Table columns={topColumns(project)} rows={top.data.value?.traces ?? []} rowKey={(t) => t.trace_id} />
        </>
      )}
    </section>
  );
}
