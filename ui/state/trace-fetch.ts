// A deep link to a trace starts its fetch and its page's code at boot, beside /api/me, instead of after it: a
// 10,000-span trace is the slowest answer of the API. The Trace page's useApi picks the answer up.
import { tracePath } from "../lib/trace-columns.ts";
import { prefetch } from "../lib/use-api.ts";

/**
 * The browser's first number or date format loads its locale data: 40–300 ms of the main thread in a fresh tab
 * (Chromium, measured by bench:ui). The trace's totals format money and a time; paid here, while the answers are
 * still on the way, it is off the path to the first rows.
 */
function warmFormats() {
  new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(1);
  new Date(0).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

const link = location.pathname.match(/^\/p\/([^/]+)\/traces\/([^/]+)$/);
if (link) {
  prefetch(tracePath(decodeURIComponent(link[2]!)), link[1]!);
  // The same module App's lazy page imports: a failure here shows there.
  import("../pages/Trace.tsx").catch(() => undefined);
  // After boot has sent its other requests (/api/auth/session).
  setTimeout(warmFormats);
}
