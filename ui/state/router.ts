// A tiny router on signals: the path is state; links and redirects call navigate().
import { signal } from "@preact/signals";

export const path = signal(location.pathname);

export function navigate(to: string, replace = false) {
  if (to === path.value) return;
  history[replace ? "replaceState" : "pushState"](null, "", to);
  path.value = to;
}

addEventListener("popstate", () => (path.value = location.pathname));

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
