// Regex rules of prices run in the shared queue consumer against every model name, so they are matched by RE2
// (re2js: linear time in the name's length, whatever the pattern; no backtracking, so no ReDoS), never by the
// backtracking RegExp. Compiled patterns are cached per isolate, boundedly.
import { RE2JS } from "re2js";

const MAX_CACHED = 1_000;
const compiled = new Map<string, RE2JS>();

/** The compiled pattern (case-insensitive, like providers' model names); throws if RE2 can't compile it. */
export function re2(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
    if (compiled.size >= MAX_CACHED) compiled.delete(compiled.keys().next().value!);
    compiled.set(pattern, re);
  }
  return re;
}

/** Why RE2 refuses a pattern (back-references and look-arounds are not supported), or null. */
export function regexProblem(pattern: string): string | null {
  try {
    re2(pattern);
    return null;
  } catch (err) {
    return `not a pattern RE2 accepts (${err instanceof Error ? err.message : String(err)})`;
  }
}
