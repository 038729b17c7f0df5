// A tiny router on signals: the path and the query string are state; links and redirects call navigate().
import { signal } from "@preact/signals";

export const path = signal(location.pathname);
export const query = signal(new URLSearchParams(location.search));

export function navigate(to: string, replace = false) {
  const url = new URL(to, location.origin);
  if (url.pathname + url.search === location.pathname + location.search) return;
  history[replace ? "replaceState" : "pushState"](null, "", url.pathname + url.search);
  path.value = url.pathname;
  query.value = url.searchParams;
}

/**
 * Changes some query parameters of the current URL (empty values are removed), keeping the rest. A new history entry,
 * so Back undoes a filter, sort or range; `replace` for a choice made many times a minute (the inspector's event).
 */
export function setQuery(changes: Record<string, string | undefined | null>, replace = false) {
  const next = new URLSearchParams(query.value);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === null || value === "") next.delete(key);
    else next.set(key, value);
  }
  const search = next.toString();
  navigate(path.value + (search ? `?${search}` : ""), replace);
}

addEventListener("popstate", () => {
  path.value = location.pathname;
  query.value = new URLSearchParams(location.search);
});

/** Matches `pattern` like `/p/:project/settings` against the current path; returns the params or null. */
export function match(pattern: string, current = path.value): Record<string, string> | null {
  const want = pattern.split("/");
  const have = current.split("/");
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i]!.startsWith(":")) params[want[i]!.slice(1)] = decodeURIComponent(have[i]!);
    else if (want[i] !== have[i]) return null;
  }
  return params;
}
