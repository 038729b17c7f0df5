// Costs: totals for a range, cost over time by model, breakdowns by model, user and project, the most expensive
// traces, models without a price (with "add a price" and a recompute), and CSV export.
import { useSignal } from "@preact/signals";
import type { CostGroupRow, CostReport } from "../../contract/costs.ts";
import { CostChart } from "../components/CostChart.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { Link } from "../components/Link.tsx";
import { api } from "../lib/api.ts";
import { cost, DAY_MS, duration, HOUR_MS, time, tokens } from "../lib/format.ts";
import { recomputeCosts } from "../lib/recompute.ts";
import type { TraceListAnswer } from "../lib/types.ts";
import { useAction, useApi } from "../lib/use-api.ts";
import { query, setQuery } from "../state/router.ts";
import { allProjects, canManage, type Org } from "../state/session.ts";

type Report = CostReport;
type Row = CostGroupRow;
const RANGES: Record<string, number> = {
  "24h": DAY_MS,
  "7d": 7 * DAY_MS,
  "30d": 30 * DAY_MS,
  "90d": 90 * DAY_MS,
};

function csv(report: Report) {
  const lines = [["model", "cost_usd", "calls", "input_tokens", "output_tokens", "cached_input_tokens"].join(",")];
  for (const g of report.groups)
    lines.push(
      [JSON.stringify(g.key ?? ""), g.cost, g.calls, g.input_tokens, g.output_tokens, g.cached_input_tokens].join(","),
    );
  const url = URL.createObjectURL(new Blob([`${lines.join("\n")}\n`], { type: "text/csv" }));
  const a = Object.assign(document.createElement("a"), {
    href: url,
    download: `watchllm-costs-${new Date(report.from).toISOString().slice(0, 10)}.csv`,
  });
  a.click();
  URL.revokeObjectURL(url);
}

function Breakdown({ title, rows, label }: { title: string; rows: Row[]; label: (key: Row["key"]) => string }) {
  return (
    <div>
      <h2>{title}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{title.replace("By ", "")}</th>
              <th>Cost</th>
              <th>Calls</th>
              <th>Tokens in / out</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((g) => (
              <tr key={g.key ?? ""}>
                <td>{label(g.key)}</td>
                <td>{cost(g.cost)}</td>
                <td>{g.calls}</td>
                <td>
                  {tokens(g.input_tokens)} / {tokens(g.output_tokens)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function AddPrice({
  project,
  model,
  provider,
  onAdded,
}: {
  project: string;
  model: string;
  provider: string;
  onAdded: () => void;
}) {
  const save = useAction();
  const status = useSignal("");
  return (
    <form
      class="inline"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.target as HTMLFormElement);
        void save.run(async (init) => {
          await api("/api/v1/prices", {
            ...init,
            project,
            json: {
              model,
              provider: provider || null,
              rates: { input_mtok: Number(data.get("input")), output_mtok: Number(data.get("output")) },
            },
          });
          // Re-price the past calls of the last 90 days.
          await recomputeCosts(
            project,
            Date.now() - RANGES["90d"]!,
            Date.now() + HOUR_MS,
            (n) => (status.value = `Re-priced ${n} call(s)…`),
          );
          onAdded();
        });
      }}
    >
      <label>
        $ / M input
        <input name="input" type="number" step="any" min="0" required />
      </label>
      <label>
        $ / M output
        <input name="output" type="number" step="any" min="0" required />
      </label>
      <button type="submit" class="primary" disabled={save.busy.value}>
        Add price
      </button>
      <span class="muted">{status.value}</span>
      <ErrorNote error={save.error} />
    </form>
  );
}

export function Costs({ project, org }: { project: string; org: Org }) {
  const rangeKey = query.value.get("range") ?? "30d";
  const to = Math.ceil(Date.now() / HOUR_MS) * HOUR_MS;
  const from = to - (RANGES[rangeKey] ?? RANGES["30d"]!);
  const adding = useSignal<string | null>(null);
  const range = `from=${from}&to=${to}`;
  const interval = rangeKey === "24h" ? "hour" : "day";
  const report = useApi<Report>(`/api/v1/costs?${range}&group_by=model&interval=${interval}`, { project });
  const users = useApi<Report>(`/api/v1/costs?${range}&group_by=user&limit=10`, { project });
  const top = useApi<TraceListAnswer>(`/api/v1/traces?${range}&sort=cost&limit=10`, { project });
  const projects = useApi<Report>(canManage(org.role) ? `/api/orgs/${org.id}/costs?${range}&group_by=project` : null);
  const load = () => {
    report.reload();
    users.reload();
    top.reload();
    projects.reload();
  };
  const name = (id: Row["key"]) => allProjects.value.find((p) => p.id === id)?.name ?? String(id ?? "");
  const r = report.data.value;
  return (
    <section class="costs">
      <header class="trace-head">
        <h1>Costs</h1>
        <div class="actions">
          <label class="row-label">
            Range
            <select value={rangeKey} onChange={(e) => setQuery({ range: (e.target as HTMLSelectElement).value })}>
              <option value="24h">Last 24 hours</option>
              <option value="7d">Last 7 days</option>
              <option value="30d">Last 30 days</option>
              <option value="90d">Last 90 days</option>
            </select>
          </label>
          <button type="button" disabled={!r} onClick={() => r && csv(r)}>
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
            <div>
              <dt>Cost</dt>
              <dd>{cost(r.totals.cost)}</dd>
            </div>
            <div>
              <dt>Model calls</dt>
              <dd>{r.totals.calls}</dd>
            </div>
            <div>
              <dt>Input tokens</dt>
              <dd>{tokens(r.totals.input_tokens)}</dd>
            </div>
            <div>
              <dt>Cached</dt>
              <dd>{tokens(r.totals.cached_input_tokens)}</dd>
            </div>
            <div>
              <dt>Output tokens</dt>
              <dd>{tokens(r.totals.output_tokens)}</dd>
            </div>
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
          <CostChart series={r.series} interval={r.interval} />
          <div class="grid-2">
            <Breakdown
              title="By model"
              rows={r.groups}
              label={(k) => (k === null || k === "" ? "(no model)" : String(k))}
            />
            {users.data.value && (
              <Breakdown
                title="By user"
                rows={users.data.value.groups}
                label={(k) => (k === null ? "(no user)" : String(k))}
              />
            )}
            {projects.data.value && <Breakdown title="By project" rows={projects.data.value.groups} label={name} />}
          </div>
          <h2>Most expensive traces</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Trace</th>
                  <th>Start</th>
                  <th>Duration</th>
                  <th>Tokens</th>
                  <th>Cost</th>
                </tr>
              </thead>
              <tbody>
                {(top.data.value?.traces ?? []).map((t) => {
                  const href = `/p/${project}/traces/${encodeURIComponent(t.trace_id)}`;
                  return (
                    <tr key={t.trace_id}>
                      <td>
                        <Link href={href}>{t.name}</Link>
                      </td>
                      <td>{time(t.start_time)}</td>
                      <td>{duration(t.duration_ms)}</td>
                      <td>{tokens(t.total_tokens)}</td>
                      <td>{cost(t.total_cost)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
