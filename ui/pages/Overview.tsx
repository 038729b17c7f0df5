// Overview, the project's home: how the app is doing over a range (traces and model calls, errors, latency, time to
// first token, tokens, cost), each against the previous period, and tables by model and by name. Clicking a bucket or
// a row opens the trace list filtered to it. An empty project gets the onboarding.
import type { MetricsAnswer, MetricsSeries } from "../../contract/metrics.ts";
import { Chart, type Series } from "../components/Chart.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { Link } from "../components/Link.tsx";
import { ScoreCharts } from "../components/ScoreCharts.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { cost, DAY_MS, duration, isoDay, tokens } from "../lib/format.ts";
import { lazy } from "../lib/lazy.tsx";
import {
  change,
  FILTERS,
  filtersOf,
  INTERVAL_MS,
  metricsQuery,
  previous,
  RANGES,
  tracesLink,
  windowOf,
} from "../lib/overview.ts";
import { useApi } from "../lib/use-api.ts";
import { navigate, query, setQuery } from "../state/router.ts";

// Shown only until the project's first event: its own chunk.
const Onboarding = lazy(() => import("./Onboarding.tsx").then((m) => m.Onboarding));

const CALL_METRICS =
  "count,error_rate,latency_p50,latency_p95,latency_p99,first_token_p95,input_tokens,output_tokens,cost";
const TABLE_METRICS = "count,latency_p95,error_rate,cost";
const BLUE = "#2563eb";
const PURPLE = "#7c3aed";
const GREEN = "#16a34a";
const ORANGE = "#ea580c";
const RED = "#dc2626";

const percent = (n: number) => `${(n * 100).toFixed(n > 0 && n < 0.1 ? 1 : 0)}%`;
const count = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000)}k` : String(Math.round(n * 100) / 100));
const usd = (n: number) => (n === 0 ? "$0" : n < 0.01 ? `$${n.toPrecision(1)}` : `$${n.toFixed(n < 10 ? 2 : 0)}`);

type Values = MetricsSeries["total"];
/** A stat card: label, value, the previous period's, its format, and whether up is worse (null: neither). */
type Stat = [string, number | null | undefined, number | null | undefined, (n: number) => string, boolean | null];

export function Overview({ project }: { project: string }) {
  const info = useApi(`/api/projects/${project}`);
  if (info.error.value && !info.data.value) return <ErrorNote error={info.error} />;
  if (!info.data.value)
    return (
      <p class="muted" aria-busy="true">
        Loading…
      </p>
    );
  if (!info.data.value.has_events) return <Onboarding project={project} onFirstEvent={info.reload} />;
  return <Dashboard project={project} />;
}

function Dashboard({ project }: { project: string }) {
  const params = query.value;
  const w = windowOf(params);
  const filters = filtersOf(params);
  const byUser = filters.some(([k]) => k === "user_id");
  const eventOnly = filters.some(([k]) => k !== "user_id" && k !== "name");
  // End users' rollup keeps no other field: a user's view is all of their events.
  const calls: Record<string, string> = byUser ? {} : { type: "model_response" };
  const opt = { project };
  const now = useApi(metricsQuery(w, filters, { metrics: CALL_METRICS, ...calls }), opt);
  const before = useApi(metricsQuery(previous(w), filters, { metrics: CALL_METRICS, ...calls }), opt);
  const traceFilters = filters.filter(([k]) => k === "user_id" || k === "name");
  const traces = useApi(
    eventOnly ? null : metricsQuery(w, traceFilters, { metrics: "count,error_rate", view: "traces" }),
    opt,
  );
  const tracesBefore = useApi(
    eventOnly ? null : metricsQuery(previous(w), traceFilters, { metrics: "count,error_rate", view: "traces" }),
    opt,
  );
  const byModel = useApi(
    byUser ? null : metricsQuery(w, filters, { metrics: TABLE_METRICS, group_by: "model", type: "model_response" }),
    opt,
  );
  const byName = useApi(
    byUser ? null : metricsQuery(w, filters, { metrics: TABLE_METRICS, group_by: "name", limit: "20" }),
    opt,
  );

  const answer = now.data.value;
  const series = answer?.series[0];
  const size = answer ? INTERVAL_MS[answer.interval] : 0;
  const times = series?.points.map((p) => p.t) ?? [];
  const col = (s: MetricsSeries | undefined, m: string) => s?.points.map((p) => p[m] ?? null) ?? [];
  const open = (t: number) => navigate(tracesLink(project, t, t + size, filters));
  const t = traces.data.value?.series[0];
  const chart = (title: string, lines: Series[], format: (n: number) => string, testId?: string) => (
    <Chart title={title} times={times} bucketMs={size} series={lines} format={format} onPick={open} testId={testId} />
  );
  const prev = before.data.value?.series[0]?.total;
  const prevTraces = tracesBefore.data.value?.series[0]?.total;
  const stats: Array<
    [string, number | null | undefined, number | null | undefined, (n: number) => string, boolean | null]
  > = [
    ...(t ? [["Traces", t.total.count, prevTraces?.count, count, null] as Stat] : []),
    [byUser ? "Events" : "Model calls", series?.total.count, prev?.count, count, null],
    // Traces fail where any of their events does (a tool, a step): their rate first, then the model calls' own.
    ...(t ? [["Failed traces", t.total.error_rate, prevTraces?.error_rate, percent, true] as Stat] : []),
    [byUser ? "Event errors" : "Call errors", series?.total.error_rate, prev?.error_rate, percent, true],
    ["p95 latency", series?.total.latency_p95, prev?.latency_p95, duration, true],
    ["First token p95", series?.total.first_token_p95, prev?.first_token_p95, duration, true],
    [
      "Tokens",
      sum(series?.total, "input_tokens", "output_tokens"),
      sum(prev, "input_tokens", "output_tokens"),
      tokens,
      null,
    ],
    ["Cost", series?.total.cost, prev?.cost, cost, true],
  ];

  return (
    <section class="overview">
      <header class="page-head">
        <h1>Overview</h1>
        <fieldset class="actions range">
          <legend class="sr-only">Range</legend>
          {Object.entries(RANGES).map(([key, r]) => (
            <button
              type="button"
              key={key}
              aria-pressed={!w.custom && (params.get("range") ?? "24h") === key}
              onClick={() => setQuery({ range: key, from: null, to: null })}
            >
              {r.label}
            </button>
          ))}
          <label class="row-label custom">
            <span class="sr-only">Custom range from</span>
            <input
              type="date"
              value={isoDay(w.from)}
              onChange={(e) => {
                const from = (e.target as HTMLInputElement).value;
                if (from)
                  setQuery({
                    range: "custom",
                    from,
                    to: isoDay(Math.max(w.to, Date.parse(from) + DAY_MS)),
                  });
              }}
            />
          </label>
          <label class="row-label custom">
            <span>to</span>
            <input
              type="date"
              value={isoDay(w.to - 1)}
              onChange={(e) => {
                const to = (e.target as HTMLInputElement).value;
                if (to)
                  setQuery({
                    range: "custom",
                    from: isoDay(w.from),
                    to: isoDay(Date.parse(to) + DAY_MS),
                  });
              }}
            />
          </label>
        </fieldset>
      </header>
      <form
        class="filters overview-filters"
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget as HTMLFormElement);
          setQuery(Object.fromEntries(FILTERS.map(([k]) => [k, String(data.get(k) ?? "").trim()])));
        }}
      >
        {FILTERS.map(([key, label]) => (
          <label key={`${key}=${params.get(key) ?? ""}`}>
            <span>{label}</span>
            <input name={key} defaultValue={params.get(key) ?? ""} placeholder="any" />
          </label>
        ))}
        <button type="submit">Apply</button>
      </form>
      {params.get("range") === "custom" && !w.custom && (
        <p class="notice" role="status">
          That custom range can't be read (its dates are missing, or it ends before it starts): showing the last 24 h.
        </p>
      )}
      {byUser && filters.length < FILTERS.filter(([k]) => params.get(k)).length && (
        <p class="muted">A user's view shows all of their events: the other filters are not applied.</p>
      )}
      {[now, before, traces, tracesBefore, byModel, byName].map((r, i) => (
        <ErrorNote key={i} error={r.error} />
      ))}
      {!series ? (
        <p class="muted" aria-busy="true">
          Loading…
        </p>
      ) : (
        <>
          <dl class="totals stats" data-testid="overview-stats">
            {stats.map(([label, value, was, show, worseUp]) => {
              const c = change(value, was);
              return (
                <div key={label}>
                  <dt>{label}</dt>
                  <dd>
                    {value === null || value === undefined ? "—" : show(value)}{" "}
                    {c && (
                      <span
                        class={c.up === null || worseUp === null ? "muted" : c.up === worseUp ? "worse" : "better"}
                        title="vs the previous period"
                      >
                        {c.text}
                      </span>
                    )}
                  </dd>
                </div>
              );
            })}
          </dl>
          <div class="charts" data-testid="overview-charts">
            {chart(
              t ? "Traces and model calls" : byUser ? "Events" : "Model calls",
              [
                ...(t ? [{ name: "traces", values: col(t, "count"), colour: PURPLE }] : []),
                { name: byUser ? "events" : "model calls", values: col(series, "count"), colour: BLUE },
              ],
              count,
              "chart-volume",
            )}
            {chart(
              "Error rate",
              [
                ...(t ? [{ name: "traces", values: col(t, "error_rate"), colour: RED }] : []),
                { name: byUser ? "events" : "model calls", values: col(series, "error_rate"), colour: ORANGE },
              ],
              percent,
              "chart-errors",
            )}
            {chart(
              "Latency",
              [
                { name: "p50", values: col(series, "latency_p50"), colour: GREEN },
                { name: "p95", values: col(series, "latency_p95"), colour: BLUE },
                { name: "p99", values: col(series, "latency_p99"), colour: PURPLE },
              ],
              duration,
            )}
            {chart(
              "First token p95",
              [{ name: "p95", values: col(series, "first_token_p95"), colour: ORANGE }],
              duration,
            )}
            {chart(
              "Tokens",
              [
                { name: "input", values: col(series, "input_tokens"), colour: BLUE },
                { name: "output", values: col(series, "output_tokens"), colour: GREEN },
              ],
              count,
            )}
            {chart("Cost", [{ name: "cost", values: col(series, "cost"), colour: PURPLE }], usd)}
          </div>
          <ScoreCharts project={project} w={w} userId={filters.find(([k]) => k === "user_id")?.[1]} />
          {!byUser && (
            <div class="tables">
              {(
                [
                  ["By model", "model", byModel],
                  ["By name", "name", byName],
                  ["Slowest names", "name", byName, "latency_p95"],
                  ["Costliest names", "name", byName, "cost"],
                ] as const
              ).map(([title, field, rows, sort]) => (
                <GroupTable
                  key={title}
                  title={title}
                  field={field}
                  answer={rows.data.value}
                  project={project}
                  w={w}
                  filters={filters}
                  sort={sort}
                />
              ))}
            </div>
          )}
        </>
      )}
    </section>
  );
}

function sum(v: Values | undefined, a: string, b: string) {
  return v ? (v[a] ?? 0) + (v[b] ?? 0) : undefined;
}

type GroupRow = { key: string; total: Values; href: string };

function GroupTable(props: {
  title: string;
  field: "model" | "name";
  answer: MetricsAnswer | null;
  project: string;
  w: { from: number; to: number };
  filters: Array<[string, string]>;
  sort?: "latency_p95" | "cost";
}) {
  const { answer, field, sort, w, project, filters } = props;
  const rows: GroupRow[] = (answer?.series ?? [])
    .filter((s) => !s.group.other && s.total.count)
    .map((s) => {
      const key = typeof s.group[field] === "string" ? (s.group[field] as string) : "";
      const own = [...filters.filter(([k]) => k !== field), [field, key] as [string, string]];
      return { key, total: s.total, href: tracesLink(project, w.from, w.to, own) };
    })
    .sort((a, b) => (sort ? (b.total[sort] ?? 0) - (a.total[sort] ?? 0) : 0))
    .slice(0, sort ? 5 : 10);
  const columns: Array<Column<GroupRow>> = [
    {
      label: field === "model" ? "Model" : "Name",
      title: (r) => r.key || "(none)",
      cell: (r) => <Link href={r.href}>{r.key || "(none)"}</Link>,
    },
    {
      label: field === "model" ? "Calls" : "Events",
      width: "4.5rem",
      numeric: true,
      cell: (r) => count(r.total.count ?? 0),
    },
    { label: "p95", width: "4.8rem", numeric: true, cell: (r) => duration(r.total.latency_p95) },
    { label: "Errors", width: "4.2rem", numeric: true, priority: 2, cell: (r) => percent(r.total.error_rate ?? 0) },
    {
      label: "Cost",
      width: "6.6rem",
      numeric: true,
      title: (r) => cost(r.total.cost),
      cell: (r) => cost(r.total.cost),
    },
  ];
  return (
    <div class="group-table" data-testid={`table-${props.title.toLowerCase().replaceAll(" ", "-")}`}>
      <h2>{props.title}</h2>
      {answer === null ? (
        <p class="muted" aria-busy="true">
          Loading…
        </p>
      ) : rows.length ? (
        <Table columns={columns} rows={rows} rowKey={(r) => r.key} />
      ) : (
        <p class="muted">Nothing in this range.</p>
      )}
    </div>
  );
}
