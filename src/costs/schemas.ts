// Price override rules as the API accepts them: the contract's shape (bounded nesting and size), plus a check only the
// server can make: every regex compiles in RE2, the linear-time engine rules are matched with.
import { type MatchRule, matchRule } from "../../contract/costs.ts";
import { regexProblem } from "./regex.ts";

function regexesOf(rule: MatchRule): string[] {
  const found: string[] = [];
  const stack = [rule];
  while (stack.length) {
    const r = stack.pop()!;
    if ("regex" in r) found.push(r.regex);
    if ("and" in r) stack.push(...r.and);
    if ("or" in r) stack.push(...r.or);
  }
  return found;
}

export const overrideRule = matchRule.superRefine((rule, ctx) => {
  for (const re of regexesOf(rule)) {
    const problem = regexProblem(re);
    if (problem) ctx.addIssue({ code: "custom", message: `regex ${JSON.stringify(re)}: ${problem}` });
  }
});
