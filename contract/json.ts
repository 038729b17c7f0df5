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

/**
 * Whether `value` nests deeper than `cap` levels (`jsonDepth(value, cap) > cap`), by recursion that stops at `cap`:
 * for a small finite cap, faster than `jsonDepth` (no work list) and just as safe for the stack.
 */
export function nestsDeeper(value: unknown, cap: number): boolean {
  if (value === null || typeof value !== "object") return false;
  if (cap <= 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (nestsDeeper(item, cap - 1)) return true;
    return false;
  }
  for (const key in value) {
    if (Object.hasOwn(value, key) && nestsDeeper((value as Record<string, unknown>)[key], cap - 1)) return true;
  }
  return false;
}
