// The tree answer as columns (`?format=columns`): one array per field, read from the query's raw value rows through
// the tree's order, so no object is built per event on the way from D1 to the answer's text. `head=N`: the same for
// the tree's first N rows only, placed by the whole trace's links.
import { eventCore, type TreeColumns } from "../../contract/traces.ts";
import { TREE_ROW_FIELDS, type TreeEventRow } from "../db/queries/trace-events.ts";
import { type Links, type TreeOrder, treeOrder } from "./tree.ts";

type Field = keyof TreeEventRow;
const AT = Object.fromEntries(TREE_ROW_FIELDS.map((f, k) => [f, k])) as Record<Field, number>;
const CORE = Object.keys(eventCore.shape) as (keyof typeof eventCore.shape)[];

/** Raw rows already in the tree's order, with their placement → the columns. */
function columnsOf(rows: readonly unknown[][], placed: Omit<TreeOrder, "order">): TreeColumns {
  const column = <K extends Field>(field: K) => {
    const k = AT[field];
    return rows.map((r) => r[k]) as TreeEventRow[K][];
  };
  const body = column("body");
  const bodyBytes = column("body_bytes");
  return {
    ...(Object.fromEntries(CORE.map((f) => [f, column(f)])) as Pick<TreeColumns, (typeof CORE)[number]>),
    depth: placed.depth,
    child_count: placed.childCount,
    orphan: placed.orphan,
    cycle: placed.cycle,
    body: body.map((b) => (b === null ? null : (JSON.parse(b) as Record<string, unknown>))),
    body_truncated: body.map((b, k) => b === null && bodyBytes[k]! > 0),
    body_bytes: bodyBytes,
    preview: column("preview"),
  };
}

/** Raw rows (values in `TREE_ROW_FIELDS` order, as `treeEventsQuery(...).values()` reads them) → the tree's columns. */
export function treeColumnsView(rows: readonly unknown[][]): TreeColumns {
  const read = <K extends Field>(field: K) => rows.map((r) => r[AT[field]]) as TreeEventRow[K][];
  const placed = treeOrder({ ids: read("event_id"), parents: read("parent_event_id"), times: read("timestamp") });
  return columnsOf(
    placed.order.map((i) => rows[i]!),
    placed,
  );
}

/** The first `count` events of the tree, placed by every event's links: their ids in the tree's order. */
export function treeHead(links: Links, count: number) {
  const placed = treeOrder(links);
  const n = Math.min(count, placed.order.length);
  return {
    ids: placed.order.slice(0, n).map((i) => links.ids[i]!),
    placed: {
      depth: placed.depth.slice(0, n),
      childCount: placed.childCount.slice(0, n),
      orphan: placed.orphan.slice(0, n),
      cycle: placed.cycle.slice(0, n),
    },
  };
}

/** The head's raw rows (any order, as read by id) → its columns, in the tree's order. */
export function treeHeadColumnsView(head: ReturnType<typeof treeHead>, rows: readonly unknown[][]): TreeColumns {
  const byId = new Map(rows.map((r) => [r[AT.event_id] as string, r]));
  return columnsOf(
    head.ids.map((id) => byId.get(id)!),
    head.placed,
  );
}
