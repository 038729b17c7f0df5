// The dashboard's data hooks. useApi owns a read: fetch, abort when the page changes or unmounts, loading and error
// state, reload, optional polling. useAction owns a write started by the user: busy and error state. Errors land in
// a signal that <ErrorNote> shows (dismissible), never in a silent catch.
import { type Signal, useSignal } from "@preact/signals";
import { useEffect, useLayoutEffect, useRef } from "preact/hooks";
import type { ApiUrl, GetAnswer } from "../../contract/routes.ts";
import { type ApiInit, answerOf, messageOf, request } from "./api.ts";

const prefetched = new Map<string, Promise<unknown>>();
const keyOf = (path: string, project?: string) => `${project ?? ""} ${path}`;

/**
 * Starts a read before any page asks for it (a deep link's slowest answer, at boot), or takes one already started
 * (`response`); the first useApi of it takes it.
 */
export function prefetch(path: ApiUrl, project?: string, response?: Promise<Response>) {
  const promise = response ? response.then(answerOf) : request(path, { project });
  promise.catch(() => undefined); // signed out: the app redirects to login, and the page fetches again anyway
  prefetched.set(keyOf(path, project), promise);
}

export type Read<T> = {
  data: Signal<T | null>;
  error: Signal<string | null>;
  loading: Signal<boolean>;
  /** Fetches again (keeping the data on screen meanwhile). */
  reload: () => void;
};

/**
 * GET `path` (null: nothing to fetch yet) as JSON; refetched when `path` or `project` change, or every `pollMs`. The
 * answer's type is the contract's for the route `path` matches (contract/routes.ts): build the path inline, as a
 * template string, so its type shows the route.
 */
export function useApi<U extends ApiUrl>(
  path: U | null,
  options: { project?: string; pollMs?: number } = {},
): Read<GetAnswer<U>> {
  type T = GetAnswer<U>;
  const data = useSignal<T | null>(null);
  const error = useSignal<string | null>(null);
  const loading = useSignal(path !== null);
  const version = useSignal(0);
  const { project, pollMs } = options;
  // Started as the page commits, not after its first paint (useEffect waits a frame): the read goes out a frame
  // sooner, and an answer already here (a prefetch) renders before "Loading…" ever paints.
  useLayoutEffect(() => {
    if (path === null) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      loading.value = true;
      try {
        const early = prefetched.get(keyOf(path, project));
        prefetched.delete(keyOf(path, project));
        data.value = (await (early ?? request(path, { project, signal: abort.signal }))) as T;
        error.value = null;
      } catch (err) {
        if (!abort.signal.aborted) error.value = messageOf(err);
      } finally {
        if (!abort.signal.aborted) {
          loading.value = false;
          if (pollMs) timer = setTimeout(load, pollMs);
        }
      }
    };
    void load();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [path, project, pollMs, version.value]);
  return { data, error, loading, reload: () => version.value++ };
}

type Action = {
  /** Runs a user-started request; its failure is kept in `error` (and returned as undefined), never thrown. */
  run: <R>(work: (init: Pick<ApiInit, "signal">) => Promise<R>) => Promise<R | undefined>;
  busy: Signal<boolean>;
  error: Signal<string | null>;
};

export function useAction(): Action {
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const mounted = useRef(new AbortController());
  useEffect(() => {
    const controller = new AbortController();
    mounted.current = controller;
    return () => controller.abort();
  }, []);
  const run: Action["run"] = async (work) => {
    busy.value = true;
    error.value = null;
    try {
      return await work({ signal: mounted.current.signal });
    } catch (err) {
      if (!mounted.current.signal.aborted) error.value = messageOf(err);
      return undefined;
    } finally {
      busy.value = false;
    }
  };
  return { run, busy, error };
}

/** A paged read: the first page (refetched like useApi) and the pages `loadMore` appends, by cursor. */
export function usePaged<U extends ApiUrl>(path: U, options: { project?: string; pollMs?: number } = {}) {
  type P = GetAnswer<U> & { next_cursor: string | null };
  const first = useApi(path, options) as Read<P>;
  const extra = useSignal<P[]>([]);
  const more = useAction();
  useEffect(() => {
    extra.value = [];
  }, [first.data.value]);
  const pages = first.data.value ? [first.data.value, ...extra.value] : null;
  const next = pages?.at(-1)?.next_cursor ?? null;
  const loadMore = () =>
    next &&
    more.run(async (init) => {
      const url = new URL(path, location.origin);
      url.searchParams.set("cursor", next);
      const page = (await request(url.pathname + url.search, { project: options.project, ...init })) as P;
      extra.value = [...extra.value, page];
    });
  return { pages, error: first.error, more, next, loadMore };
}
