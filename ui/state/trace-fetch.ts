// A deep link to a trace: the read of its first screen (started by index.html's inline script, else here) goes to the
// Trace page's useApi, and its page's code is asked for at boot (index.html preloads it too). The page reads the rest
// of the tree once that screen is shown.
import { traceHeadPath } from "../lib/trace-columns.ts";
import { prefetch } from "../lib/use-api.ts";
import { earlyTrace as early } from "./early.ts";

const link = location.pathname.match(/^\/p\/([^/]+)\/traces\/([^/]+)$/);

if (link) {
  const project = link[1]!;
  const path = traceHeadPath(decodeURIComponent(link[2]!));
  prefetch(path, project, early?.path === path && early.project === project ? early.response : undefined);
  // The same module App's lazy page imports: a failure here shows there. Read by name, as App reads it: a namespace
  // used whole would be built as an object in the chunk.
  import("../pages/chunks/trace.ts").then(
    (m) => m.Trace,
    () => undefined,
  );
}
