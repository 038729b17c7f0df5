// The trace list: every filter and sort of the trace API, kept in the URL; cursor paging; live refresh; pick two to compare.
import { useSignal } from "@preact/signals";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { Link } from "../components/Link.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { TraceFilters } from "../components/TraceFilters.tsx";
import { cost, duration, exactCost, shortTime, time, tokens } from "../lib/format.ts";
import { apiQuery, scoreColumns } from "../lib/trace-filters.ts";
import type { TraceSummary } from "../lib/types.ts";
import { usePaged } from "../lib/use-api.ts";
import { useSlashFocus } from "../lib/use-slash.ts";
import { navigate, query } from "../state/router.ts";

const scoreCell = (v: number | string | null | undefined) =>
  v === undefined || v === null ? "—" : typeof v === "number" ? String(Math.round(v * 100) / 100) : v;

/** A user's or session's id, fitted to 16 characters (cut beyond, whole in its tooltip); dropped in a narrow box. */
const idColumn = (label: string, key: "user_id" | "session_id"): Column<TraceSummary> => ({
  label,
  priority: 3,
  fit: { text: (t) => t[key] ?? "", max: 16 },
  title: (t) => t[key],
  cell: (t) => t[key] ?? "",
});

export function TraceList({ project, fixed }: { project: string; fixed?: Record<string, string> }) {
  const live = useSignal(false);
  const picked = useSignal<string[]>([]);
  const params = new URLSearchParams(query.value);
  for (const [k, v] of Object.entries(fixed ?? {})) params.set(k, v);
  useSlashFocus("q");

  // The first page (refetched every 5 s when live) and the pages "Load more" appended to it.
  const list = usePaged(`/api/v1/traces?${apiQuery(params)}`, {
    project,
    pollMs: live.value ? 5000 : undefined,
  });
  const traces = list.pages?.flatMap((p) => p.traces) ?? null;
  const toggle = (id: string) =>
    (picked.value = picked.value.includes(id) ? picked.value.filter((x) => x !== id) : [...picked.value, id].slice(-2));

  const scored = scoreColumns(params);
  const columns: Array<Column<TraceSummary> | false> = [
    {
      label: "Pick",
      header: <span class="sr-only">Pick</span>,
      width: "2.4rem",
      class: "pick",
      cell: (t) => (
        <input
          type="checkbox"
          aria-label={`Pick ${t.name} for compare`}
          checked={picked.value.includes(t.trace_id)}
          onChange={() => toggle(t.trace_id)}
        />
      ),
    },
    {
      label: "Name",
      title: (t) => `${t.name} (${t.trace_id})`,
      cell: (t) => (
        <>
          <Link href={`/p/${project}/traces/${encodeURIComponent(t.trace_id)}`}>
            <span class={`dot ${t.status}`} role="img" aria-label={t.status} />
            {t.name}
          </Link>
          {/* A phone's box drops the start and duration columns: they read here, under the name. */}
          <span class="sub">
            {shortTime(t.start_time)} · {duration(t.duration_ms)}
          </span>
        </>
      ),
    },
    {
      label: "Start",
      fit: { text: (t) => shortTime(t.start_time), max: 20 },
      priority: 2,
      title: (t) => time(t.start_time),
      cell: (t) => shortTime(t.start_time),
    },
    {
      label: "Duration",
      fit: { text: (t) => duration(t.duration_ms), max: 12 },
      priority: 2,
      numeric: true,
      cell: (t) => duration(t.duration_ms),
    },
    // Chosen score columns take the place of the spans, errors, models and tokens (all on the trace's page), so the
    // name keeps its room.
    !scored.length && { label: "Spans", width: "4.6rem", numeric: true, priority: 3, cell: (t) => t.span_count },
    !scored.length && {
      label: "Errors",
      width: "4.6rem",
      numeric: true,
      priority: 3,
      cell: (t) => t.error_count || "",
    },
    !scored.length && {
      label: "Models",
      priority: 3,
      fit: { text: (t) => t.models.join(", "), max: 20 },
      title: (t) => t.models.join(", "),
      cell: (t) => t.models.join(", "),
    },
    !scored.length && {
      label: "Tokens",
      width: "5rem",
      numeric: true,
      priority: 2,
      cell: (t) => tokens(t.total_tokens),
    },
    // A trace without model calls has no cost to show (its 0 is not a price).
    {
      label: "Cost",
      fit: { text: (t) => (t.models.length ? cost(t.total_cost) : "—"), max: 14 },
      numeric: true,
      title: (t) => (t.models.length ? exactCost(t.total_cost) : null),
      cell: (t) => (t.models.length ? cost(t.total_cost) : "—"),
    },
    // Chosen score names as columns: a numeric or boolean score's mean, a categorical one's latest label.
    ...scored.map(
      (name): Column<TraceSummary> => ({
        label: name,
        fit: { text: (t) => scoreCell(t.scores?.[name]), min: 5, max: 12 },
        title: (t) => scoreCell(t.scores?.[name]),
        numeric: true,
        cell: (t) => scoreCell(t.scores?.[name]),
      }),
    ),
    !fixed?.user_id && idColumn("User", "user_id"),
    !fixed?.session_id && idColumn("Session", "session_id"),
  ];

  return (
    <section>
      <TraceFilters params={params} fixed={fixed}>
        <label class="check">
          <input
            type="checkbox"
            checked={live.value}
            onChange={(e) => (live.value = (e.target as HTMLInputElement).checked)}
          />{" "}
          Live
        </label>
        <button
          type="button"
          disabled={picked.value.length !== 2}
          onClick={() =>
            navigate(
              `/p/${project}/compare?a=${encodeURIComponent(picked.value[0]!)}&b=${encodeURIComponent(picked.value[1]!)}`,
            )
          }
        >
          Compare {picked.value.length}/2
        </button>
      </TraceFilters>
      <ErrorNote error={list.error} />
      <ErrorNote error={list.more.error} />
      {!traces ? (
        <p class="muted" aria-busy="true">
          Loading…
        </p>
      ) : !traces.length ? (
        <p class="muted">No traces match these filters.</p>
      ) : (
        <Table
          class="traces"
          testId="trace-table"
          columns={columns}
          rows={traces}
          rowKey={(t) => t.trace_id}
          rowProps={(t) => ({ class: t.status === "error" ? "err" : "", "data-trace": t.trace_id })}
        />
      )}
      {list.next && (
        <p>
          <button type="button" disabled={list.more.busy.value} onClick={() => void list.loadMore()}>
            Load more
          </button>
        </p>
      )}
    </section>
  );
}
