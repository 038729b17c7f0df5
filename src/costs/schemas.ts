// Price override rules as the API accepts them: the contract's shape, plus checks that only the server can make.

import type { MatchRule } from "../../contract/costs.ts";
import { matchRule } from "../../contract/costs.ts";

/**
 * Override rules run in the shared queue consumer against every model name, so a pattern that can backtrack
 * exponentially (a repeated group containing a quantifier or an alternation, like `(a+)+` or `(a|aa)+`) or a
 * back-reference is refused.
 */
function regexProblem(re: string): string | null {
  try {
    new RegExp(re);
  } catch {
    return "not a valid regular expression";
  }
  if (/\([^)]*[+*}][^)]*\)\s*[+*{?]/.test(re) || /\([^)]*\|[^)]*\)\s*[+*{]/.test(re) || /\\[1-9]/.test(re)) {
    return "nested or repeated-alternation quantifiers and back-references are not allowed (they can make matching very slow)";
  }
  return null;
}

function* regexesOf(rule: MatchRule): Generator<string> {
  if ("regex" in rule) yield rule.regex;
  if ("and" in rule) for (const r of rule.and) yield* regexesOf(r);
  if ("or" in rule) for (const r of rule.or) yield* regexesOf(r);
}

export const overrideRule = matchRule.superRefine((rule, ctx) => {
  for (const re of regexesOf(rule)) {
    const problem = regexProblem(re);
    if (problem) ctx.addIssue({ code: "custom", message: `regex ${JSON.stringify(re)}: ${problem}` });
  }
});
