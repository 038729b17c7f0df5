// A page whose code loads when it is first shown (one chunk per route), so the first load of any page fetches only
// the code that page needs; later visits render at once.
import type { ComponentType } from "preact";
import { useLayoutEffect, useState } from "preact/hooks";
import { ErrorNote } from "../components/ErrorNote.tsx";

export function lazy<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  return function Lazy(props: P) {
    const [failed, setFailed] = useState<unknown>(null);
    const [, setReady] = useState(false);
    // As the placeholder commits, not after it paints: code already fetched (a deep link preloads its page's)
    // renders without waiting a frame.
    useLayoutEffect(() => {
      if (loaded) return;
      let live = true;
      loading ??= load().then((page) => {
        loaded = page;
        return page;
      });
      loading.then(
        () => live && setReady(true),
        (err) => {
          loading = undefined;
          if (live) setFailed(err);
        },
      );
      return () => {
        live = false;
      };
    }, []);
    if (failed) return <ErrorNote error={`This page could not be loaded (reload to try again): ${String(failed)}`} />;
    if (!loaded) return <div class="boot" aria-busy="true" />;
    const Page = loaded;
    return <Page {...props} />;
  };
}
