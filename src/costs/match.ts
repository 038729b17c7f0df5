// Matching model names against price rules (genai-prices' rule language). Regexes go through RE2 (./regex.ts).
import type { MatchRule } from "../../contract/costs.ts";
import { re2 } from "./regex.ts";

/** Does a model name satisfy a match rule (genai-prices' rule language)? Case-insensitive, like the providers. */
export function matches(rule: MatchRule, model: string): boolean {
  const name = model.toLowerCase();
  if ("equals" in rule) return name === rule.equals.toLowerCase();
  if ("starts_with" in rule) return name.startsWith(rule.starts_with.toLowerCase());
  if ("ends_with" in rule) return name.endsWith(rule.ends_with.toLowerCase());
  if ("contains" in rule) return name.includes(rule.contains.toLowerCase());
  if ("regex" in rule) {
    try {
      return re2(rule.regex).matcher(model).find();
    } catch {
      return false; // a rule stored before RE2 that it can't compile matches nothing
    }
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
