// The trace list's filter bar: one row (search, status, a "Filters" button for the rest, sort, then the list's own
// controls), the folded filters in a panel under it, and every active filter as a chip that removes it.
import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { activeFilters, chipText, PANEL_FILTERS, SORTS } from "../lib/trace-filters.ts";
import { setQuery } from "../state/router.ts";

type Props = {
  params: URLSearchParams;
  /** Filters the page sets itself (a session's id): neither editable nor shown as chips. */
  fixed?: Record<string, string>;
  children?: ComponentChildren;
};

export function TraceFilters({ params, fixed = {}, children }: Props) {
  const open = useSignal(false);
  const set = (key: string) => (e: Event) => setQuery({ [key]: (e.target as HTMLInputElement).value });
  const active = activeFilters(params, fixed);
  const panel = PANEL_FILTERS.filter(([k]) => !(k in fixed));
  const inPanel = panel.filter(([k]) => params.get(k)).length;
  const sort = params.get("sort") ?? "start_time";
  const order = params.get("order") ?? "desc";
  const chips = active.filter(([k]) => k !== "q");
  return (
    <div class="filter-bar">
      {/* biome-ignore lint/a11y/useSemanticElements: <search> is not in Preact's JSX element types */}
      <form class="filter-row" role="search" onSubmit={(e) => e.preventDefault()}>
        <input
          id="q"
          name="q"
          type="search"
          class="grow"
          aria-label="Search"
          placeholder="Search names, inputs, outputs  ( / )"
          value={params.get("q") ?? ""}
          onChange={set("q")}
        />
        <select name="status" aria-label="Status" value={params.get("status") ?? ""} onChange={set("status")}>
          <option value="">Any status</option>
          <option value="ok">Status: ok</option>
          <option value="error">Status: error</option>
        </select>
        <button
          type="button"
          aria-expanded={open.value}
          aria-controls="filter-panel"
          onClick={() => (open.value = !open.value)}
        >
          Filters{inPanel ? ` (${inPanel})` : ""} {open.value ? "▴" : "▾"}
        </button>
        {!("sort" in fixed) && (
          <select
            name="sort"
            aria-label="Sort"
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
        )}
        <div class="filter-tools">{children}</div>
      </form>
      {open.value && (
        <fieldset class="filter-panel" id="filter-panel">
          <legend class="sr-only">More filters</legend>
          {panel.map(([key, label, type]) =>
            type === "check" ? (
              <label key={key} class="check">
                <input
                  id={key}
                  name={key}
                  type="checkbox"
                  checked={params.get(key) === "true"}
                  onChange={(e) => setQuery({ [key]: e.currentTarget.checked ? "true" : null })}
                />{" "}
                {label}
              </label>
            ) : (
              <label key={key}>
                {label}
                <input
                  id={key}
                  name={key}
                  type={type as "text"}
                  value={params.get(key) ?? ""}
                  {...(type === "number" ? { min: "0", step: "any" } : {})}
                  onChange={set(key)}
                />
              </label>
            ),
          )}
        </fieldset>
      )}
      {chips.length > 0 && (
        <ul class="chips" aria-label="Active filters">
          {chips.map(([key, value]) => (
            <li key={key} class="chip" data-filter={key}>
              <span>{chipText(key, value)}</span>
              <button
                type="button"
                aria-label={`Remove ${chipText(key, value)}`}
                onClick={() => setQuery({ [key]: null })}
              >
                ✕
              </button>
            </li>
          ))}
          <li>
            <button
              type="button"
              class="link"
              onClick={() => setQuery(Object.fromEntries(active.map(([k]) => [k, null])))}
            >
              Clear all
            </button>
          </li>
        </ul>
      )}
    </div>
  );
}
