// Two traces aligned span by span: a span's key is its path of type:name steps from the root (with an occurrence
// number among same-named siblings), so the same pipeline run twice lines up even when ids and timings differ.
import type { TreeEventRow } from "../db/queries/trace-events.ts";
import type { Placed } from "./tree.ts";
import type { TraceSummary } from "./views.ts";

type Node = Placed<TreeEventRow>;

const side = (n: Node) => ({
  event_id: n.eventId,
  duration_ms: n.durationMs,
  status: n.status,
  input_tokens: n.inputTokens,
  output_tokens: n.outputTokens,
  cost_usd: n.costUsd,
});

const tokens = (n: Node) => (n.inputTokens ?? 0) + (n.outputTokens ?? 0);

/** Path of every node of a depth-first list; a lone root is keyed `root` so differently named roots still align. */
function paths(tree: Node[]) {
  const loneRoot = tree.filter((n) => n.depth === 0).length === 1;
  const at: string[] = [];
  const seen = new Map<string, number>();
  const byPath = new Map<string, Node>();
  const children = new Map<string, string[]>();
  for (const n of tree) {
    const parent = n.depth === 0 ? "" : at[n.depth - 1]!;
    const step = n.depth === 0 && loneRoot ? "root" : `${n.type}:${n.name}`;
    const count = (seen.get(`${parent}/${step}`) ?? 0) + 1;
    seen.set(`${parent}/${step}`, count);
    const path = `${parent}/${step}${count > 1 ? `#${count}` : ""}`;
    at[n.depth] = path;
    byPath.set(path, n);
    const siblings = children.get(parent);
    if (siblings) siblings.push(path);
    else children.set(parent, [path]);
  }
  return { byPath, children };
}

export function compareTraces(a: { trace: TraceSummary; tree: Node[] }, b: { trace: TraceSummary; tree: Node[] }) {
  const left = paths(a.tree);
  const right = paths(b.tree);
  const spans = [];
  const stack: Array<[string, number]> = [["", -1]];
  while (stack.length) {
    const [parent, depth] = stack.pop()!;
    const ordered = [...(left.children.get(parent) ?? [])];
    for (const p of right.children.get(parent) ?? []) if (!left.byPath.has(p)) ordered.push(p);
    for (let i = ordered.length - 1; i >= 0; i--) stack.push([ordered[i]!, depth + 1]);
    if (parent === "") continue;
    const x = left.byPath.get(parent);
    const y = right.byPath.get(parent);
    const shown = (x ?? y)!;
    spans.push({
      path: parent.slice(1),
      depth,
      type: shown.type,
      name: shown.name,
      a: x ? side(x) : null,
      b: y ? side(y) : null,
      delta: x && y ? { duration_ms: (y.durationMs ?? 0) - (x.durationMs ?? 0), total_tokens: tokens(y) - tokens(x), cost_usd: (y.costUsd ?? 0) - (x.costUsd ?? 0) } : null,
      status_changed: Boolean(x && y && x.status !== y.status),
    });
  }
  const diff = (k: "duration_ms" | "total_tokens" | "total_cost" | "span_count" | "error_count") => b.trace[k] - a.trace[k];
  return {
    a: a.trace,
    b: b.trace,
    delta: { duration_ms: diff("duration_ms"), total_tokens: diff("total_tokens"), total_cost: diff("total_cost"), span_count: diff("span_count"), error_count: diff("error_count") },
    spans,
    only_in_a: spans.filter((s) => !s.b).length,
    only_in_b: spans.filter((s) => !s.a).length,
  };
}
