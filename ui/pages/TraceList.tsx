// The trace list: every filter and sort of the trace API, kept in the URL; cursor paging; live refresh; pick two to compare.
import { useSignal } from "@preact/signals";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { Link } from "../components/Link.tsx";
import { cost, DAY_MS, duration, time, tokens } from "../lib/format.ts";
import type { TraceListAnswer } from "../lib/types.ts";
import { usePaged } from "../lib/use-api.ts";
import { useSlashFocus } from "../lib/use-slash.ts";
import { navigate, query, setQuery } from "../state/router.ts";

const FILTERS = [
  "q",
  "status",
  "name",
  "model",
  "tag",
  "user_id",
  "session_id",
  "from",
  "to",
  "min_duration_ms",
  "min_cost",
  "sort",
  "order",
] as const;
const MORE = ["model", "user_id", "session_id", "tag", "name", "from", "to", "min_duration_ms", "min_cost"];
const SORTS: Array<[string, string]> = [
  ["start_time", "Start"],
  ["duration", "Duration"],
  ["span_count", "Spans"],
  ["cost", "Cost"],
];

/** The API query for the URL's filters (dates become day bounds). */
function apiQuery(params: URLSearchParams) {
  const out = new URLSearchParams();
  for (const key of FILTERS) {
    const value = params.get(key);
    if (!value) continue;
    if (key === "to" && /^\d{4}-\d{2}-\d{2}$/.test(value))
      out.set(key, String(Date.parse(`${value}T00:00:00Z`) + DAY_MS));
    else out.set(key, value);
  }
  return out.toString();
}

export function TraceList({ project, fixed }: { project: string; fixed?: Record<string, string> }) {
  const live = useSignal(false);
  const picked = useSignal<string[]>([]);
  const advanced = MORE.filter((k) => query.value.get(k)).length;
  // All filters show on wide screens; on a phone the less-used ones fold away unless one is set.
  const showAll = useSignal(advanced > 0 || matchMedia("(min-width: 700px)").matches);
  const params = new URLSearchParams(query.value);
  for (const [k, v] of Object.entries(fixed ?? {})) params.set(k, v);
  const key = apiQuery(params);
  useSlashFocus("q");

  // The first page (refetched every 5 s when live) and the pages "Load more" appended to it.
  const list = usePaged<TraceListAnswer>(`/api/v1/traces?${key}`, { project, pollMs: live.value ? 5000 : undefined });
  const traces = list.pages?.flatMap((p) => p.traces) ?? null;

  const sort = params.get("sort") ?? "start_time";
  const order = params.get("order") ?? "desc";
  const field = (
    name: (typeof FILTERS)[number],
    label: string,
    type: "text" | "search" | "date" | "number" = "text",
    extra: Record<string, string> = {},
  ) => (
    <label>
      {label}
      <input
        id={name}
        name={name}
        type={type as "text"}
        value={params.get(name) ?? ""}
        {...extra}
        onChange={(e) => setQuery({ [name]: (e.target as HTMLInputElement).value })}
      />
    </label>
  );
  const toggle = (id: string) =>
    (picked.value = picked.value.includes(id) ? picked.value.filter((x) => x !== id) : [...picked.value, id].slice(-2));

  return (
    <section>
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is not in Preact's JSX element types */}
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        {field("q", "Search (/)", "search", { placeholder: "words in names, inputs, outputs" })}
        <label>
          Status
          <select
            name="status"
            value={params.get("status") ?? ""}
            onChange={(e) => setQuery({ status: (e.target as HTMLSelectElement).value })}
          >
            <option value="">any</option>
            <option value="ok">ok</option>
            <option value="error">error</option>
          </select>
        </label>
        {showAll.value && (
          <>
            {field("model", "Model")}
            {!fixed?.user_id && field("user_id", "User")}
            {!fixed?.session_id && field("session_id", "Session")}
            {field("tag", "Tag")}
            {field("name", "Name")}
            {field("from", "From", "date")}
            {field("to", "To", "date")}
            {field("min_duration_ms", "Min ms", "number", { min: "0" })}
            {field("min_cost", "Min $", "number", { min: "0", step: "any" })}
          </>
        )}
        <label>
          Sort
          <select
            name="sort"
            value={`${sort}:${order}`}
            onChange={(e) => {
              const [s, o] = (e.target as HTMLSelectElement).value.split(":");
              setQuery({ sort: s === "start_time" ? undefined : s, order: o === "desc" ? undefined : o });
            }}
          >
            {SORTS.flatMap(([s, label]) => [
              <option key={`${s}d`} value={`${s}:desc`}>
                {label} ↓
              </option>,
              <option key={`${s}a`} value={`${s}:asc`}>
                {label} ↑
              </option>,
            ])}
          </select>
        </label>
      </form>
      <div class="toolbar">
        <button
          type="button"
          class="link"
          aria-expanded={showAll.value}
          onClick={() => (showAll.value = !showAll.value)}
        >
          {showAll.value ? "Fewer filters" : `More filters${advanced ? ` (${advanced})` : ""}`}
        </button>
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
        {[...params.keys()].some((k) => FILTERS.includes(k as (typeof FILTERS)[number]) && !(k in (fixed ?? {}))) && (
          <button type="button" class="link" onClick={() => navigate(location.pathname)}>
            Clear filters
          </button>
        )}
      </div>
      <ErrorNote error={list.error} />
      <ErrorNote error={list.more.error} />
      {!traces ? (
        <p class="muted" aria-busy="true">
          Loading…
        </p>
      ) : !traces.length ? (
        <p class="muted">No traces match these filters.</p>
      ) : (
        <div class="table-wrap">
          <table class="traces" data-testid="trace-table">
            <thead>
              <tr>
                <th>
                  <span class="sr-only">Pick</span>
                </th>
                <th>Name</th>
                <th>Start</th>
                <th>Duration</th>
                <th>Spans</th>
                <th>Errors</th>
                <th>Models</th>
                <th>Tokens</th>
                <th>Cost</th>
                <th>User</th>
                <th>Session</th>
              </tr>
            </thead>
            <tbody>
              {traces.map((t) => (
                <tr key={t.trace_id} class={t.status === "error" ? "err" : ""} data-trace={t.trace_id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Pick ${t.name} for compare`}
                      checked={picked.value.includes(t.trace_id)}
                      onChange={() => toggle(t.trace_id)}
                    />
                  </td>
                  <td>
                    <Link href={`/p/${project}/traces/${encodeURIComponent(t.trace_id)}`}>
                      <span class={`dot ${t.status}`} role="img" aria-label={t.status} />
                      {t.name}
                    </Link>
                  </td>
                  <td>{time(t.start_time)}</td>
                  <td>{duration(t.duration_ms)}</td>
                  <td>{t.span_count}</td>
                  <td>{t.error_count || ""}</td>
                  <td class="models">{t.models.join(", ")}</td>
                  <td>{tokens(t.total_tokens)}</td>
                  <td>{cost(t.total_cost)}</td>
                  <td>{t.user_id ?? ""}</td>
                  <td>{t.session_id ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
