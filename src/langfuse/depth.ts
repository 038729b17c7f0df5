// Payloads nested deeper than an event body may nest (Langfuse takes any depth): the deep levels are replaced by a
// note, without recursion, so a 100,000-level input costs its size and not the stack.
import { jsonDepth } from "../../contract/json.ts";

export const TOO_DEEP = "[nested too deeply: cut by WatchLLM]";

/** `value` itself when it nests at most `maxDepth` levels, else a copy whose containers below that are TOO_DEEP. */
export function clipDepth(value: unknown, maxDepth: number): unknown {
  if (jsonDepth(value, maxDepth) <= maxDepth) return value;
  const root: { v: unknown } = { v: undefined };
  const stack: Array<
    [source: unknown, into: Record<string, unknown> | unknown[], key: string | number, depth: number]
  > = [[value, root as Record<string, unknown>, "v", 1]];
  while (stack.length) {
    const [source, into, key, depth] = stack.pop()!;
    let copy: unknown = source;
    if (source !== null && typeof source === "object") {
      if (depth > maxDepth) copy = TOO_DEEP;
      else if (Array.isArray(source)) {
        const out: unknown[] = new Array(source.length);
        source.forEach((child, i) => {
          stack.push([child, out, i, depth + 1]);
        });
        copy = out;
      } else {
        const out: Record<string, unknown> = {};
        // Keys are set now so the copy keeps their order (children are filled in as the stack unwinds).
        for (const [k, child] of Object.entries(source)) {
          out[k] = undefined;
          stack.push([child, out, k, depth + 1]);
        }
        copy = out;
      }
    }
    (into as Record<string | number, unknown>)[key] = copy;
  }
  return root.v;
}
