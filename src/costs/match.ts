import type { MatchRule } from "../../contract/costs.ts";

const regexes = new Map<string, RegExp>();

/** Does a model name satisfy a match rule (genai-prices' rule language)? Case-insensitive, like the providers. */
export function matches(rule: MatchRule, model: string): boolean {
  const name = model.toLowerCase();
  if ("equals" in rule) return name === rule.equals.toLowerCase();
  if ("starts_with" in rule) return name.startsWith(rule.starts_with.toLowerCase());
  if ("ends_with" in rule) return name.endsWith(rule.ends_with.toLowerCase());
  if ("contains" in rule) return name.includes(rule.contains.toLowerCase());
  if ("regex" in rule) {
    let re = regexes.get(rule.regex);
    if (!re) {
      re = new RegExp(rule.regex, "i");
      regexes.set(rule.regex, re);
    }
    return re.test(model);
  }
  if ("and" in rule) return rule.and.every((r) => matches(r, model));
  return rule.or.some((r) => matches(r, model));
}

/** Exact rules beat patterns: an `equals` match is preferred over a `starts_with` one for the same model name. */
export function isExact(rule: MatchRule, model: string): boolean {
  if ("equals" in rule) return rule.equals.toLowerCase() === model.toLowerCase();
  if ("or" in rule) return rule.or.some((r) => isExact(r, model));
  return false;
}
