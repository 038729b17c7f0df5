// Two traces aligned span by span, walking both trees at once: siblings pair up by type and name (a lone root pairs
// with a lone root whatever its name). Where one side has more same-named siblings (a retry, an extra tool call),
// each span of A takes the first unpaired one of B with the same status, else the first unpaired one, so a failed
// retry shows up as the extra span instead of shifting every pair after it. A span's path names its steps from the
// root (`root/tool_call:search#2` for the second same-named sibling).
import type { CompareAnswer, CompareSpan, TraceSummary } from "../../contract/traces.ts";
import type { TreeEventRow } from "../db/queries/trace-events.ts";
import type { Placed } from "./tree.ts";
import { wholeMicros } from "./views.ts";

type Node = Placed<TreeEventRow>;
type Pair = { a: Node | null; b: Node | null; step: string };

const side = (n: Node) => ({
  event_id: n.event_id,
  model: n.model,
  duration_ms: n.duration_ms,
  status: n.status,
  input_tokens: n.input_tokens,
  output_tokens: n.output_tokens,
  cost_usd: n.cost_usd,
});

const tokens = (n: Node) => (n.input_tokens ?? 0) + (n.output_tokens ?? 0);
/** A cost delta only where both sides have a price: an unpriced call is unknown, not free. */
const costDelta = (x: Node, y: Node) => (x.cost_usd === null || y.cost_usd === null ? null : y.cost_usd - x.cost_usd);
const keyOf = (n: Node) => `${n.type}:${n.name}`;

/** Children of every node (and the roots under ""), in tree order, from a depth-first list. */
function childLists(tree: Node[]) {
  const lists = new Map<string, Node[]>();
  const at: string[] = [];
  for (const n of tree) {
    const parent = n.depth === 0 ? "" : at[n.depth - 1]!;
    at[n.depth] = n.event_id;
    const list = lists.get(parent);
    if (list) list.push(n);
    else lists.set(parent, [n]);
  }
  return lists;
}

/** Pairs two sibling lists (see the file comment); the step of a pair is its key and occurrence number. */
function pairSiblings(xs: Node[], ys: Node[], roots: boolean): Pair[] {
  if (roots && xs.length === 1 && ys.length === 1) return [{ a: xs[0]!, b: ys[0]!, step: "root" }];
  // B's unpaired siblings by key, in order (so a wide fan-out pairs in linear time when statuses agree).
  const open = new Map<string, Node[]>();
  for (const y of ys) {
    const list = open.get(keyOf(y));
    if (list) list.push(y);
    else open.set(keyOf(y), [y]);
  }
  const seen = new Map<string, number>();
  const step = (n: Node) => {
    const count = (seen.get(keyOf(n)) ?? 0) + 1;
    seen.set(keyOf(n), count);
    return `${keyOf(n)}${count > 1 ? `#${count}` : ""}`;
  };
  const paired = new Set<Node>();
  const pairs: Pair[] = xs.map((x) => {
    const candidates = open.get(keyOf(x)) ?? [];
    const index = Math.max(
      0,
      candidates.findIndex((c) => c.status === x.status),
    );
    const y = candidates.splice(index, 1)[0] ?? null;
    if (y) paired.add(y);
    return { a: x, b: y, step: step(x) };
  });
  for (const y of ys) if (!paired.has(y)) pairs.push({ a: null, b: y, step: step(y) });
  return pairs;
}

export function compareTraces(
  a: { trace: TraceSummary; tree: Node[] },
  b: { trace: TraceSummary; tree: Node[] },
): CompareAnswer {
  const left = childLists(a.tree);
  const right = childLists(b.tree);
  const kids = (lists: Map<string, Node[]>, n: Node | null) => (n ? (lists.get(n.event_id) ?? []) : []);
  const spans: CompareSpan[] = [];
  const stack: Array<Pair & { path: string; depth: number }> = pairSiblings(
    left.get("") ?? [],
    right.get("") ?? [],
    true,
  )
    .reverse()
    .map((p) => ({ ...p, path: p.step, depth: 0 }));
  while (stack.length) {
    const { a: x, b: y, path, depth } = stack.pop()!;
    const shown = (x ?? y)!;
    spans.push({
      path,
      depth,
      type: shown.type,
      name: shown.name,
      a: x ? side(x) : null,
      b: y ? side(y) : null,
      delta:
        x && y
          ? {
              duration_ms: wholeMicros((y.duration_ms ?? 0) - (x.duration_ms ?? 0)),
              total_tokens: tokens(y) - tokens(x),
              cost_usd: costDelta(x, y),
            }
          : null,
      status_changed: Boolean(x && y && x.status !== y.status),
    });
    const children = pairSiblings(kids(left, x), kids(right, y), false);
    for (let i = children.length - 1; i >= 0; i--)
      stack.push({ ...children[i]!, path: `${path}/${children[i]!.step}`, depth: depth + 1 });
  }
  const diff = (k: "duration_ms" | "total_tokens" | "total_cost" | "span_count" | "error_count") =>
    b.trace[k] - a.trace[k];
  return {
    a: a.trace,
    b: b.trace,
    delta: {
      duration_ms: wholeMicros(diff("duration_ms")),
      total_tokens: diff("total_tokens"),
      total_cost: diff("total_cost"),
      span_count: diff("span_count"),
      error_count: diff("error_count"),
    },
    spans,
    only_in_a: spans.filter((s) => !s.b).length,
    only_in_b: spans.filter((s) => !s.a).length,
  };
}
