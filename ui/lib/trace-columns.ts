// The trace page reads its tree as columns (`?format=columns`: a third of the bytes, quick to parse) and turns them
// into the row objects the tree, the waterfall and the inspector show.
import type { TraceAnswer, TraceColumnsAnswer, TreeEvent } from "./types.ts";

/** The trace as columns, the answer these functions read. */
export const tracePath = (traceId: string) => `/api/v1/traces/${encodeURIComponent(traceId)}?format=columns` as const;

/** Row i of every column → the i-th event. */
export function eventsOf(columns: TraceColumnsAnswer["columns"]): TreeEvent[] {
  const fields = Object.keys(columns) as (keyof TreeEvent)[];
  const count = columns.event_id.length;
  const events = new Array<TreeEvent>(count);
  for (let i = 0; i < count; i++) {
    const event: Record<string, unknown> = {};
    for (const field of fields) event[field] = columns[field][i];
    events[i] = event as TreeEvent;
  }
  return events;
}

export const traceOf = ({ columns, ...rest }: TraceColumnsAnswer): TraceAnswer => ({
  ...rest,
  events: eventsOf(columns),
});
