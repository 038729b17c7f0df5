// The tree answer as columns (`?format=columns`): one array per field, read from the query's raw value rows through
// the tree's order, so no object is built per event on the way from D1 to the answer's text.
import { eventCore, type TreeColumns } from "../../contract/traces.ts";
import { TREE_ROW_FIELDS, type TreeEventRow } from "../db/queries/trace-events.ts";
import { treeOrder } from "./tree.ts";

type Field = keyof TreeEventRow;
const AT = Object.fromEntries(TREE_ROW_FIELDS.map((f, k) => [f, k])) as Record<Field, number>;
const CORE = Object.keys(eventCore.shape) as (keyof typeof eventCore.shape)[];

/** Raw rows (values in `TREE_ROW_FIELDS` order, as `treeEventsQuery(...).values()` reads them) → the tree's columns. */
export function treeColumnsView(rows: readonly unknown[][]): TreeColumns {
  const read = <K extends Field>(field: K) => {
    const k = AT[field];
    return rows.map((r) => r[k]) as TreeEventRow[K][];
  };
  const placed = treeOrder({ ids: read("event_id"), parents: read("parent_event_id"), times: read("timestamp") });
  const inOrder = <K extends Field>(field: K) => {
    const k = AT[field];
    return placed.order.map((i) => rows[i]![k]) as TreeEventRow[K][];
  };
  const body = inOrder("body");
  const bodyBytes = inOrder("body_bytes");
  return {
    ...(Object.fromEntries(CORE.map((f) => [f, inOrder(f)])) as Pick<TreeColumns, (typeof CORE)[number]>),
    depth: placed.depth,
    child_count: placed.childCount,
    orphan: placed.orphan,
    cycle: placed.cycle,
    body: body.map((b) => (b === null ? null : (JSON.parse(b) as Record<string, unknown>))),
    body_truncated: body.map((b, k) => b === null && bodyBytes[k]! > 0),
    body_bytes: bodyBytes,
    preview: inOrder("preview"),
  };
}
