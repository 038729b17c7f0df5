// How deeply a JSON value nests, measured without recursion: input nested 100,000 levels can't overflow the stack
// here (it would in JSON.stringify, zod or SQLite's JSON functions, which stop at 1,000 levels).

/** 0 for a scalar, 1 for `[]` or `{}`, and so on; stops counting past `cap` (returns `cap + 1`). */
export function jsonDepth(value: unknown, cap = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (depth > deepest) deepest = depth;
    if (deepest > cap) return cap + 1;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
    }
  }
  return deepest;
}
