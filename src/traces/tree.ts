// Events → a tree as a flat depth-first list. Iterative (a 10,000-deep chain can't overflow a stack); orphans
// (parent never arrived) sit at the root level, cycles are broken at their earliest event; both are flagged.
// `treeOrder` places events by index from three columns, copying no row (the columns answer reads its raw rows through
// it); `buildTree` copies each placed row into an object.

type Linked = { event_id: string; parent_event_id: string | null; timestamp: number };
/** The fields that place an event, as columns (row i of each is the i-th event as read). */
export type Links = { ids: readonly string[]; parents: readonly (string | null)[]; times: readonly number[] };

export type Placed<T> = T & { depth: number; child_count: number; orphan: boolean; cycle: boolean };

/** The depth-first order as indexes into the rows, with each placed row's depth, child count and flags. */
export type TreeOrder = {
  order: number[];
  depth: number[];
  childCount: number[];
  orphan: boolean[];
  cycle: boolean[];
};

export function treeOrder({ ids, parents, times }: Links): TreeOrder {
  const byId = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) if (!byId.has(ids[i]!)) byId.set(ids[i]!, i);
  const byTime = (a: number, b: number) =>
    times[a]! - times[b]! || (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0);

  const parent = new Int32Array(ids.length).fill(-1);
  const children = new Map<number, number[]>();
  const roots: number[] = [];
  for (const i of byId.values()) {
    const p = parents[i]!;
    const at = p === null ? undefined : byId.get(p);
    if (at === undefined) roots.push(i);
    else {
      parent[i] = at;
      const list = children.get(at);
      if (list) list.push(i);
      else children.set(at, [i]);
    }
  }
  for (const list of children.values()) list.sort(byTime);

  const out: TreeOrder = { order: [], depth: [], childCount: [], orphan: [], cycle: [] };
  const visited = new Uint8Array(ids.length);
  const stack: number[] = [];
  const depths: number[] = [];
  const walk = (root: number, orphan: boolean, cycle: boolean) => {
    stack.push(root);
    depths.push(0);
    visited[root] = 1;
    let first = true;
    while (stack.length) {
      const i = stack.pop()!;
      const depth = depths.pop()!;
      const all = children.get(i);
      const kids = all?.some((k) => visited[k]) ? all.filter((k) => !visited[k]) : all;
      out.order.push(i);
      out.depth.push(depth);
      out.childCount.push(kids?.length ?? 0);
      out.orphan.push(first && orphan);
      out.cycle.push(first && cycle);
      first = false;
      if (!kids) continue;
      for (let k = kids.length - 1; k >= 0; k--) {
        visited[kids[k]!] = 1;
        stack.push(kids[k]!);
        depths.push(depth + 1);
      }
    }
  };

  for (const root of roots.sort(byTime)) walk(root, parents[root] !== null, false);
  if (out.order.length === byId.size) return out;
  // Whatever no root reached hangs in or below a parent cycle: cut each cycle at its earliest member.
  const cycleCut = (from: number) => {
    const seen = new Set<number>();
    let onCycle = from;
    while (!seen.has(onCycle)) {
      seen.add(onCycle);
      onCycle = parent[onCycle]!;
    }
    let earliest = onCycle;
    for (let m = parent[onCycle]!; m !== onCycle; m = parent[m]!) if (byTime(m, earliest) < 0) earliest = m;
    return earliest;
  };
  const stranded = [...byId.values()].filter((i) => !visited[i]).sort(byTime);
  for (const i of stranded) if (!visited[i]) walk(cycleCut(i), false, true);
  return out;
}

export function buildTree<T extends Linked>(rows: readonly T[]): Placed<T>[] {
  const { order, depth, childCount, orphan, cycle } = treeOrder({
    ids: rows.map((r) => r.event_id),
    parents: rows.map((r) => r.parent_event_id),
    times: rows.map((r) => r.timestamp),
  });
  return order.map((i, k) => ({
    ...rows[i]!,
    depth: depth[k]!,
    child_count: childCount[k]!,
    orphan: orphan[k]!,
    cycle: cycle[k]!,
  }));
}
