// How a rule judges one group's value: enough events (min_count), and the value across the line.
import type { AlertOp } from "../../contract/alerts.ts";
import type { WindowValue } from "./measure.ts";

export function compare(value: number, op: AlertOp, threshold: number) {
  if (op === ">") return value > threshold;
  if (op === ">=") return value >= threshold;
  if (op === "<") return value < threshold;
  return value <= threshold;
}

export type Judge = { op: string; threshold: number; minCount: number };

/** Whether a group's value crosses the line, given enough events to judge. */
export const breaches = (rule: Judge, v: WindowValue) =>
  v.count >= rule.minCount && v.value !== null && compare(v.value, rule.op as AlertOp, rule.threshold);

/** The state row key of a group ('' for a rule without group_by): defined with the values (measure.ts makes them). */
export { groupKeyOf } from "./measure.ts";

/** The worst judged value of a run (highest for `>`/`>=` rules, lowest for `<`/`<=`): what the charts show. */
export function worst(rule: Judge, values: WindowValue[]) {
  const highest = rule.op.startsWith(">");
  let out: number | null = null;
  for (const v of values) {
    if (v.value === null || v.count < rule.minCount) continue;
    if (out === null || (highest ? v.value > out : v.value < out)) out = v.value;
  }
  return out;
}

/** Orders values worst first (furthest across the line: highest for `>`/`>=` rules, lowest for `<`/`<=`). */
export const worseFirst = (rule: Judge) => (a: WindowValue, b: WindowValue) =>
  rule.op.startsWith(">") ? (b.value ?? 0) - (a.value ?? 0) : (a.value ?? 0) - (b.value ?? 0);
