// A trace's tree, fetched once per visit. A deep link to a trace starts the fetch at boot, beside /api/me, instead
// of after it: a 10,000-span trace is the slowest answer of the API.
import { api } from "../api.ts";
import type { TraceSummary, TreeEvent } from "../lib/types.ts";

export type Detail = { trace: TraceSummary; events: TreeEvent[] };

const get = (project: string, traceId: string) =>
  api<Detail>(`/api/v1/traces/${encodeURIComponent(traceId)}`, { project });

const link = location.pathname.match(/^\/p\/([^/]+)\/traces\/([^/]+)$/);
let early = link ? { key: `${link[1]}/${link[2]}`, promise: get(link[1]!, decodeURIComponent(link[2]!)) } : undefined;
early?.promise.catch(() => undefined); // signed out: the app redirects to login; the page refetches anyway

export function traceDetail(project: string, traceId: string): Promise<Detail> {
  const hit = early?.key === `${project}/${encodeURIComponent(traceId)}` ? early.promise : undefined;
  early = undefined;
  return hit ?? get(project, traceId);
}
