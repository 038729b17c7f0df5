// The alert evaluation's values (measureRules: a project's rules measured together from shared reads, hour rows between
// a window's ragged minute ends, each group's state key made once) against the metrics reader's (measureWindow: one read
// per rule, minute rows only), for every metric, grouping and filter over windows within and across hours.
import { describe, expect, it } from "vitest";
import { rng } from "../../bench/generate.ts";
import { ALERT_METRICS } from "../../contract/alerts.ts";
import { groupKeyOf, type MeasuredRule, measureRules } from "../../src/alerts/measure.ts";
import { measureWindow } from "../../src/metrics/measure.ts";
import { createProject, dataOf, deliver, makeEvent } from "./fixtures.ts";

const MINUTE = 60_000;

/** `n` varied events over the last 30 hours: three types, names, models, environments, users, errors, latencies. */
function events(at: number, n: number) {
  const r = rng(28);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: n }, () => {
    const type = pick(["model_response", "model_response", "span", "tool_call"]);
    const model = type === "model_response";
    return makeEvent({
      type,
      name: pick(["chat", "plan", "search"]),
      // Denser in the last two hours, so short windows have several events per group.
      timestamp: at - 1 - Math.floor(r() < 0.5 ? r() * 2 * 60 * MINUTE : r() * 30 * 60 * MINUTE),
      status: r() < 0.1 ? "error" : "ok",
      duration_ms: Math.round(20 + Math.exp(r() * 8)),
      ...(model
        ? {
            model: pick(["gpt-4o", "claude-sonnet-4"]),
            first_token_ms: Math.round(10 + Math.exp(r() * 6)),
            usage: {
              input_tokens: Math.floor(r() * 900),
              output_tokens: Math.floor(r() * 300),
              cached_input_tokens: 0,
            },
            cost_usd: r() / 100,
          }
        : {}),
      context: { user_id: `u${Math.floor(r() * 12)}`, environment: pick(["production", "staging"]) },
    });
  });
}

const close = (a: number | null, b: number | null) =>
  a === b || (a !== null && b !== null && Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)));

describe("alert values", () => {
  it("match the metrics reader's for every metric, group_by and filter, windows within and across hours", async () => {
    const { projectId } = await createProject("alert-measure");
    // Not on an hour: a 150-minute and a 24-hour window read minutes, hours and minutes again.
    const at = Math.floor(Date.now() / MINUTE) * MINUTE;
    await deliver(projectId, events(at, 1500));
    const rules: MeasuredRule[] = [];
    for (const metric of ALERT_METRICS)
      for (const groupBy of [null, "model", "name", "user_id"] as const)
        for (const filters of [{}, { type: ["model_response"] }, { environment: ["production"], name: ["chat"] }])
          for (const windowMinutes of [5, 60, 150, 1440]) {
            if (groupBy === "user_id" && Object.keys(filters).length) continue;
            rules.push({ id: `r${rules.length}`, metric, groupBy, filters, windowMinutes });
          }
    const data = await dataOf(projectId);
    const measured = await measureRules(data, projectId, rules, at);
    let groups = 0;
    for (const rule of rules) {
      const values = measured.get(rule.id);
      if (!Array.isArray(values)) throw values ?? new Error(`${rule.id} not measured`);
      const expected = await measureWindow(data, projectId, {
        metric: rule.metric,
        filters: rule.filters,
        from: at - rule.windowMinutes * MINUTE,
        to: at,
        group_by: rule.groupBy,
        limit: 10_000,
      });
      const byKey = new Map(values.map((v) => [groupKeyOf(v.group), v]));
      const what = JSON.stringify(rule);
      expect(values.length, what).toBe(expected.length);
      for (const e of expected) {
        const v = byKey.get(groupKeyOf(e.group));
        expect(v, `${what} ${JSON.stringify(e.group)}`).toBeDefined();
        expect(v!.count, what).toBe(e.count);
        expect(close(v!.value, e.value), `${what}: ${v!.value} vs ${e.value}`).toBe(true);
        // The state key made once per group is the one the judge would make.
        expect(v!.key ?? groupKeyOf(v!.group)).toBe(groupKeyOf(v!.group));
        groups++;
      }
    }
    // Every shape measured something: grouped rules' many groups, not only empty windows.
    expect(groups).toBeGreaterThan(rules.length * 2);
  });
});
