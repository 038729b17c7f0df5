// Matching model names against price rules (genai-prices' rule language). A project's regexes go through RE2 (linear
// time: a tenant can't stall the shared consumer); the built-in table's, shipped in migrations and reviewed, may use
// what RE2 lacks (a look-ahead) and run on the native engine.
import type { MatchRule } from "../../contract/costs.ts";
import { re2 } from "./regex.ts";

const native = new Map<string, RegExp>();
function nativeRegex(pattern: string) {
  let re = native.get(pattern);
  if (!re) {
    re = new RegExp(pattern, "i");
    native.set(pattern, re);
  }
  return re;
}

/** Does a model name satisfy a match rule (genai-prices' rule language)? Case-insensitive, like the providers. */
export function matches(rule: MatchRule, model: string, builtin = false): boolean {
  const name = model.toLowerCase();
  if ("equals" in rule) return name === rule.equals.toLowerCase();
  if ("starts_with" in rule) return name.startsWith(rule.starts_with.toLowerCase());
  if ("ends_with" in rule) return name.endsWith(rule.ends_with.toLowerCase());
  if ("contains" in rule) return name.includes(rule.contains.toLowerCase());
  if ("regex" in rule) {
    try {
      return builtin ? nativeRegex(rule.regex).test(model) : re2(rule.regex).matcher(model).find();
    } catch {
      return false; // a rule stored before RE2 that it can't compile matches nothing
    }
  }
  if ("and" in rule) return rule.and.every((r) => matches(r, model, builtin));
  return rule.or.some((r) => matches(r, model, builtin));
}

/** Exact rules beat patterns: an `equals` match is preferred over a `starts_with` one for the same model name. */
export function isExact(rule: MatchRule, model: string): boolean {
  if ("equals" in rule) return rule.equals.toLowerCase() === model.toLowerCase();
  if ("or" in rule) return rule.or.some((r) => isExact(r, model));
  return false;
}
