// Events → a tree as a flat depth-first list. Iterative (a 10,000-deep chain can't overflow a stack); orphans
// (parent never arrived) sit at the root level, cycles are broken at their earliest event; both are flagged.

type Linked = { event_id: string; parent_event_id: string | null; timestamp: number };

export type Placed<T> = T & { depth: number; child_count: number; orphan: boolean; cycle: boolean };

const byTime = (a: Linked, b: Linked) =>
  a.timestamp - b.timestamp || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0);

export function buildTree<T extends Linked>(rows: readonly T[]): Placed<T>[] {
  const byId = new Map<string, T>();
  for (const row of rows) if (!byId.has(row.event_id)) byId.set(row.event_id, row);

  const children = new Map<string, T[]>();
  const roots: T[] = [];
  for (const row of byId.values()) {
    const parent = row.parent_event_id;
    if (parent === null || !byId.has(parent)) roots.push(row);
    else if (children.has(parent)) children.get(parent)!.push(row);
    else children.set(parent, [row]);
  }
  for (const list of children.values()) list.sort(byTime);

  const out: Placed<T>[] = [];
  const visited = new Set<string>();
  const walk = (root: T, flags: { orphan: boolean; cycle: boolean }) => {
    const stack: Array<[T, number, boolean, boolean]> = [[root, 0, flags.orphan, flags.cycle]];
    visited.add(root.event_id);
    while (stack.length) {
      const [row, depth, orphan, cycle] = stack.pop()!;
      const kids = (children.get(row.event_id) ?? []).filter((kid) => !visited.has(kid.event_id));
      out.push({ ...row, depth, child_count: kids.length, orphan, cycle });
      for (let i = kids.length - 1; i >= 0; i--) {
        visited.add(kids[i]!.event_id);
        stack.push([kids[i]!, depth + 1, false, false]);
      }
    }
  };

  for (const root of roots.sort(byTime)) walk(root, { orphan: root.parent_event_id !== null, cycle: false });
  // Whatever no root reached hangs in or below a parent cycle: cut each cycle at its earliest member.
  const parentOf = (row: T) => byId.get(row.parent_event_id!)!;
  const cycleCut = (from: T) => {
    const seen = new Set<T>();
    let onCycle = from;
    while (!seen.has(onCycle)) {
      seen.add(onCycle);
      onCycle = parentOf(onCycle);
    }
    let earliest = onCycle;
    for (let m = parentOf(onCycle); m !== onCycle; m = parentOf(m)) if (byTime(m, earliest) < 0) earliest = m;
    return earliest;
  };
  const stranded = [...byId.values()].filter((row) => !visited.has(row.event_id)).sort(byTime);
  for (const row of stranded) if (!visited.has(row.event_id)) walk(cycleCut(row), { orphan: false, cycle: true });
  return out;
}
