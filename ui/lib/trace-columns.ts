// The trace page reads its tree as columns (`?format=columns`: a third of the bytes, quick to parse) and shows them
// as row objects to the tree, the waterfall and the inspector.
import type { TraceAnswer, TraceColumnsAnswer, TreeEvent } from "./types.ts";

/** The trace as columns, the answer these functions read. */
export const tracePath = (traceId: string) => `/api/v1/traces/${encodeURIComponent(traceId)}?format=columns` as const;

/** Rows in a trace's first screen: a tall screen of 28 px rows (900 px shows ~20) and the tree's overscan. */
export const HEAD_ROWS = 60;
/** The trace's first screen (`head`): its first rows and the whole trace's summary, before the rest of its rows. */
export const traceHeadPath = (traceId: string) => `${tracePath(traceId)}&head=${HEAD_ROWS}` as const;

/**
 * Row i of every column → the i-th event, as a view: each field is a getter reading its column, so a 10,000-span tree
 * costs 10,000 one-field objects before its first paint instead of 10,000 × 25 property writes (~100 ms and as much
 * garbage collection on a loaded machine). Rows are read field by field; JSON.stringify (the inspector's raw JSON)
 * writes the event's fields.
 */
export function eventsOf(columns: TraceColumnsAnswer["columns"]): TreeEvent[] {
  const fields = Object.keys(columns) as (keyof TreeEvent)[];
  const Row = class {
    constructor(readonly row: number) {}
    toJSON() {
      return Object.fromEntries(fields.map((field) => [field, columns[field][this.row]]));
    }
  };
  for (const field of fields) {
    const column = columns[field];
    Object.defineProperty(Row.prototype, field, {
      enumerable: true,
      get(this: InstanceType<typeof Row>) {
        return column[this.row];
      },
    });
  }
  const count = columns.event_id.length;
  const events = new Array<TreeEvent>(count);
  for (let i = 0; i < count; i++) events[i] = new Row(i) as unknown as TreeEvent;
  return events;
}

export const traceOf = ({ columns, ...rest }: TraceColumnsAnswer): TraceAnswer => ({
  ...rest,
  events: eventsOf(columns),
});
