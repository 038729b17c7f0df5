// The trace list's filter bar: one row (search, status, a "Filters" button for the rest, sort, then the list's own
// controls), the folded filters in a panel under it, and every active filter as a chip that removes it.
import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";
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
        <FilterText
          name="q"
          type="search"
          label="Search"
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
              <label key={key} htmlFor={key}>
                {label}
                <FilterText name={key} type={type} value={params.get(key) ?? ""} onChange={set(key)} />
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

/**
 * A typed filter: shows the URL's value and follows it when the URL changes (a chip removed, "Clear all"), but keeps
 * what the user is typing when the bar renders for another reason (the list's answer arriving, a live refresh): a
 * controlled input would be reset to the URL's value by every render, dropping what was typed.
 */
function FilterText(props: {
  name: string;
  type: string;
  value: string;
  onChange: (e: Event) => void;
  /** An accessible name, for an input without a visible label (the search box). */
  label?: string;
  placeholder?: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => {
    if (input.current) input.current.value = props.value;
  }, [props.value]);
  return (
    <input
      ref={input}
      id={props.name}
      name={props.name}
      type={props.type as "text"}
      class={props.type === "search" ? "grow" : undefined}
      aria-label={props.label}
      placeholder={props.placeholder}
      defaultValue={props.value}
      {...(props.type === "number" ? { min: "0", step: "any" } : {})}
      onChange={props.onChange}
    />
  );
}
