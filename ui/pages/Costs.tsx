// Costs: totals for a range, cost over time by model, breakdowns by model, user and project, the most expensive
// traces, models without a price (with "add a price" and a recompute), and CSV export.
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { api } from "../api.ts";
import { CostChart, type SeriesRow } from "../components/CostChart.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { cost, duration, time, tokens } from "../lib/format.ts";
import { recomputeCosts } from "../lib/recompute.ts";
import type { TraceSummary } from "../lib/types.ts";
import { navigate, query, setQuery } from "../state/router.ts";
import { allProjects, canManage, type Org } from "../state/session.ts";

type Sums = { cost: number; input_tokens: number; output_tokens: number; cached_input_tokens: number; calls: number; unpriced_calls?: number | null };
type Report = { from: number; to: number; interval: "hour" | "day"; totals: Sums; groups: Array<Sums & { key: string | null }>; series: SeriesRow[]; unknown_models: Array<{ model: string; provider: string; calls: number }>; cache_savings?: { hits: number; cost: number; unpriced_hits: number } };
const RANGES: Record<string, number> = { "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000, "90d": 90 * 86_400_000 };

function csv(report: Report) {
  const lines = [["model", "cost_usd", "calls", "input_tokens", "output_tokens", "cached_input_tokens"].join(",")];
  for (const g of report.groups) lines.push([JSON.stringify(g.key ?? ""), g.cost, g.calls, g.input_tokens, g.output_tokens, g.cached_input_tokens].join(","));
  const url = URL.createObjectURL(new Blob([lines.join("\n") + "\n"], { type: "text/csv" }));
  const a = Object.assign(document.createElement("a"), { href: url, download: `watchllm-costs-${new Date(report.from).toISOString().slice(0, 10)}.csv` });
  a.click();
  URL.revokeObjectURL(url);
}

function Breakdown({ title, rows, label }: { title: string; rows: Array<Sums & { key: string | null }>; label: (key: string | null) => string }) {
  return (
    <div>
      <h2>{title}</h2>
      <div class="table-wrap">
        <table>
          <thead><tr><th>{title.replace("By ", "")}</th><th>Cost</th><th>Calls</th><th>Tokens in / out</th></tr></thead>
          <tbody>
            {rows.map((g) => <tr key={g.key ?? ""}><td>{label(g.key)}</td><td>{cost(g.cost)}</td><td>{g.calls}</td><td>{tokens(g.input_tokens)} / {tokens(g.output_tokens)}</td></tr>)}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function AddPrice({ project, model, provider, onAdded }: { project: string; model: string; provider: string; onAdded: () => void }) {
  const error = useSignal<string | null>(null);
  const status = useSignal("");
  return (
    <form class="inline" onSubmit={async (e) => {
      e.preventDefault();
      const data = new FormData(e.target as HTMLFormElement);
      try {
        await api("/api/v1/prices", { project, json: { model, provider: provider || null, rates: { input_mtok: Number(data.get("input")), output_mtok: Number(data.get("output")) } } });
        // Re-price the past calls of the last 90 days.
        await recomputeCosts(project, Date.now() - RANGES["90d"]!, Date.now() + 3_600_000, (n) => (status.value = `Re-priced ${n} call(s)…`));
        onAdded();
      } catch (err) {
        error.value = (err as Error).message;
      }
    }}>
      <label>$ / M input<input name="input" type="number" step="any" min="0" required /></label>
      <label>$ / M output<input name="output" type="number" step="any" min="0" required /></label>
      <button type="submit" class="primary">Add price</button>
      <span class="muted">{status.value}</span>
      <ErrorNote error={error.value} />
    </form>
  );
}

export function Costs({ project, org }: { project: string; org: Org }) {
  const rangeKey = query.value.get("range") ?? "30d";
  const to = Math.ceil(Date.now() / 3_600_000) * 3_600_000;
  const from = to - (RANGES[rangeKey] ?? RANGES["30d"]!);
  const report = useSignal<Report | null>(null);
  const users = useSignal<Report | null>(null);
  const projects = useSignal<Report | null>(null);
  const top = useSignal<TraceSummary[]>([]);
  const error = useSignal<string | null>(null);
  const adding = useSignal<string | null>(null);
  const range = `from=${from}&to=${to}`;
  const load = () => {
    const interval = rangeKey === "24h" ? "hour" : "day";
    Promise.all([
      api<Report>(`/api/v1/costs?${range}&group_by=model&interval=${interval}`, { project }).then((r) => (report.value = r)),
      api<Report>(`/api/v1/costs?${range}&group_by=user&limit=10`, { project }).then((r) => (users.value = r)),
      api<{ traces: TraceSummary[] }>(`/api/v1/traces?${range}&sort=cost&limit=10`, { project }).then((r) => (top.value = r.traces)),
      canManage(org.role) ? api<Report>(`/api/orgs/${org.id}/costs?${range}&group_by=project`).then((r) => (projects.value = r)) : Promise.resolve(),
    ]).catch((err: Error) => (error.value = err.message));
  };
  useEffect(load, [project, rangeKey]);
  const name = (id: string | null) => allProjects.value.find((p) => p.id === id)?.name ?? id ?? "";
  const r = report.value;
  return (
    <section class="costs">
      <header class="trace-head">
        <h1>Costs</h1>
        <div class="actions">
          <label class="row-label">Range
            <select value={rangeKey} onChange={(e) => setQuery({ range: (e.target as HTMLSelectElement).value })}>
              <option value="24h">Last 24 hours</option><option value="7d">Last 7 days</option><option value="30d">Last 30 days</option><option value="90d">Last 90 days</option>
            </select>
          </label>
          <button type="button" disabled={!r} onClick={() => r && csv(r)}>Export CSV</button>
        </div>
      </header>
      <ErrorNote error={error.value} />
      {!r ? <p class="muted" aria-busy="true">Loading…</p> : (
        <>
          <dl class="totals" data-testid="cost-totals">
            <div><dt>Cost</dt><dd>{cost(r.totals.cost)}</dd></div>
            <div><dt>Model calls</dt><dd>{r.totals.calls}</dd></div>
            <div><dt>Input tokens</dt><dd>{tokens(r.totals.input_tokens)}</dd></div>
            <div><dt>Cached</dt><dd>{tokens(r.totals.cached_input_tokens)}</dd></div>
            <div><dt>Output tokens</dt><dd>{tokens(r.totals.output_tokens)}</dd></div>
            {r.cache_savings && r.cache_savings.hits > 0 && (
              <div data-testid="cache-savings" title="Gateway cache hits, priced as the calls they replaced"><dt>Saved by cache</dt><dd>{cost(r.cache_savings.cost)} <span class="muted">({r.cache_savings.hits} {r.cache_savings.hits === 1 ? "hit" : "hits"})</span></dd></div>
            )}
          </dl>
          {r.unknown_models.length > 0 && (
            <div class="notice" data-testid="unknown-models">
              <strong>{r.unknown_models.reduce((n, m) => n + m.calls, 0)} call(s) have no price</strong>: their model is not in the price table.
              <ul class="plain">
                {r.unknown_models.map((m) => (
                  <li key={m.model + m.provider}>
                    <code>{m.model}</code>{m.provider && <span class="muted"> ({m.provider})</span>} · {m.calls} call(s){" "}
                    {adding.value === m.model
                      ? <AddPrice project={project} model={m.model} provider={m.provider} onAdded={() => ((adding.value = null), load())} />
                      : <button type="button" class="link" onClick={() => (adding.value = m.model)}>Add a price</button>}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <h2>Cost per {r.interval}</h2>
          <CostChart series={r.series} interval={r.interval} />
          <div class="grid-2">
            <Breakdown title="By model" rows={r.groups} label={(k) => k || "(no model)"} />
            {users.value && <Breakdown title="By user" rows={users.value.groups} label={(k) => k ?? "(no user)"} />}
            {projects.value && <Breakdown title="By project" rows={projects.value.groups} label={name} />}
          </div>
          <h2>Most expensive traces</h2>
          <div class="table-wrap">
            <table>
              <thead><tr><th>Trace</th><th>Start</th><th>Duration</th><th>Tokens</th><th>Cost</th></tr></thead>
              <tbody>
                {top.value.map((t) => {
                  const href = `/p/${project}/traces/${encodeURIComponent(t.trace_id)}`;
                  return <tr key={t.trace_id}><td><a href={href} onClick={(e) => (e.preventDefault(), navigate(href))}>{t.name}</a></td><td>{time(t.start_time)}</td><td>{duration(t.duration_ms)}</td><td>{tokens(t.total_tokens)}</td><td>{cost(t.total_cost)}</td></tr>;
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
