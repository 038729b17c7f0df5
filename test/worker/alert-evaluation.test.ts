// Alert evaluation beyond the basics: every group judged (not only the largest hundred), bounded new firings per run,
// score averages, and deliveries whose queue send never happened, re-sent by the minute sweep.
import { createExecutionContext, createMessageBatch, env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateAlerts } from "../../src/alerts/evaluate.ts";
import { RESEND_AFTER_MS } from "../../src/alerts/resend.ts";
import { deliveryInsert } from "../../src/db/writes/alerts.ts";
import worker from "../../src/index.ts";
import { validateScores } from "../../src/scores/validate.ts";
import { signUp } from "./account-fixtures.ts";
import { base, createRule, history, hookPath, MINUTE, type Owner, payloads, received, rule } from "./alert-fixtures.ts";
import { deliver, makeEvent, waitFor } from "./fixtures.ts";

const events = (at: number, user: string, n: number, over: Record<string, unknown> = {}) =>
  Array.from({ length: n }, (_, i) =>
    makeEvent({ type: "model_response", timestamp: at - 30_000 - i, context: { user_id: user }, ...over }),
  );

const firingGroups = async (alertId: string) =>
  (
    await env.DB.prepare("SELECT group_key FROM alert_states WHERE alert_id = ? AND state = 'firing'")
      .bind(alertId)
      .all<{ group_key: string }>()
  ).results.map((r) => JSON.parse(r.group_key) as Record<string, string>);

describe("alert evaluation: every group", () => {
  it("fires for the one group under the line when 120 groups with more events are above it", async () => {
    const owner = await signUp("Quiet user");
    const at = base();
    const wire = Array.from({ length: 120 }, (_, i) => events(at, `busy-${i}`, 2)).flat();
    await deliver(owner.project.id, [...wire, ...events(at, "quiet", 1)]);
    const { alert } = await createRule(
      owner,
      rule(hookPath(), {
        metric: "count",
        op: "<",
        threshold: 2,
        group_by: "user_id",
        window_minutes: 15,
        channels: [],
      }),
    );
    await evaluateAlerts(env, at);
    // Ranked by count, "quiet" is the 121st group: the largest hundred alone would never include it.
    expect(await firingGroups(alert.id)).toEqual([{ user_id: "quiet" }]);
  });

  it("judges a rate past groups too small to judge (min_count) that outrank it", async () => {
    const owner = await signUp("Rates");
    const at = base();
    const wire = Array.from({ length: 150 }, (_, i) => events(at, `once-${i}`, 1, { status: "error" })).flat();
    await deliver(owner.project.id, [
      ...wire,
      ...events(at, "steady", 10, { status: "error" }),
      ...events(at, "steady", 10).map((e) => ({ ...e, event_id: `${e.event_id}-ok` })),
    ]);
    const { alert } = await createRule(
      owner,
      rule(hookPath(), {
        metric: "error_rate",
        threshold: 0.3,
        min_count: 10,
        group_by: "user_id",
        window_minutes: 15,
        channels: [],
      }),
    );
    await evaluateAlerts(env, at);
    // 150 users at a rate of 1 on one call each rank above "steady" (0.5 on 20 calls) and can't be judged.
    expect(await firingGroups(alert.id)).toEqual([{ user_id: "steady" }]);
  });

  it("fires at most 100 new groups a run, worst first, and the rest in the next run", async () => {
    const owner = await signUp("Many");
    const at = base();
    const wire = Array.from({ length: 105 }, (_, i) => events(at, `spender-${i}`, 1, { cost_usd: 2 + i })).flat();
    await deliver(owner.project.id, wire);
    const { alert } = await createRule(
      owner,
      rule(hookPath(), { group_by: "user_id", window_minutes: 15, channels: [] }),
    );
    await evaluateAlerts(env, at);
    const first = await firingGroups(alert.id);
    expect(first).toHaveLength(100);
    // Worst first: the five smallest spenders wait.
    expect(first.map((g) => g.user_id)).not.toContain("spender-0");
    await evaluateAlerts(env, at + MINUTE);
    expect(await firingGroups(alert.id)).toHaveLength(105);
  });
});

/** Hands scores straight to the real consumer (as the queue would). */
async function deliverScores(projectId: string, wire: unknown[]) {
  const { scores, rejected } = await validateScores(wire, { kind: "secret", id: "key_test" }, []);
  expect(rejected).toEqual([]);
  const body = { project_id: projectId, received_at: Date.now(), events: [], scores };
  const batch = createMessageBatch("watchllm-events", [
    { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body },
  ]);
  await worker.queue(batch, env, createExecutionContext());
}

describe("alert evaluation: score averages", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await signUp("Scores");
  });

  it("fires per user on a score's average, with min_count counting scores, and resolves when it leaves the window", async () => {
    const other = await signUp("Other scores");
    const at = base();
    const score = (user: string, value: number | boolean) => ({
      trace_id: `t-${crypto.randomUUID()}`,
      name: "helpfulness",
      value,
      timestamp: at - 60_000,
      context: { user_id: user },
    });
    await deliverScores(owner.project.id, [
      score("unhappy", 0.2),
      score("unhappy", 0.3),
      score("happy", 0.9),
      score("happy", true),
      score("once", 0.1),
      { ...score("unhappy", 0.1), name: "other-score" },
    ]);
    // Another project's scores for the same user id are never seen.
    await deliverScores(other.project.id, [score("happy", 0), score("happy", 0)]);
    const path = hookPath();
    const { alert } = await createRule(
      owner,
      rule(path, {
        name: "Unhappy users",
        metric: "score_avg:helpfulness",
        op: "<",
        threshold: 0.5,
        min_count: 2,
        group_by: "user_id",
        window_minutes: 60,
      }),
    );
    expect(alert.metric).toBe("score_avg:helpfulness");
    await evaluateAlerts(env, at);
    const [fired] = await waitFor(
      () => payloads(path),
      (p) => p.length === 1,
    );
    expect(fired).toMatchObject({
      state: "firing",
      metric: "score_avg:helpfulness",
      group: { user_id: "unhappy" },
      count: 2,
    });
    expect(fired!.value).toBeCloseTo(0.25);
    await evaluateAlerts(env, at + 2 * 60 * MINUTE);
    const all = await waitFor(
      () => payloads(path),
      (p) => p.length === 2,
    );
    expect(all.map((p) => [p.state, p.group])).toEqual([
      ["firing", { user_id: "unhappy" }],
      ["resolved", { user_id: "unhappy" }],
    ]);
  });

  it("refuses score rules that filter or group by what scores don't carry", async () => {
    const url = `/api/projects/${owner.project.id}/alerts`;
    for (const over of [
      { metric: "score_avg:helpfulness", group_by: "model" },
      { metric: "score_avg:helpfulness", filters: { model: ["gpt-4o"] } },
      { metric: "score_avg:" },
    ]) {
      const res = await owner.browser.request(url, { method: "POST", json: rule("/x", over) });
      expect(res.status, JSON.stringify(over)).toBe(400);
    }
  });
});

describe("alert deliveries whose queue send never happened", () => {
  it("are queued again by the minute run with the same delivery_id, once, and given up after a day", async () => {
    const owner = await signUp("Unsent");
    const path = hookPath();
    const { alert } = await createRule(owner, rule(path));
    const channelId = alert.channels[0]!.id;
    const now = Date.now();
    const row = (id: string, at: number) =>
      deliveryInsert(
        env.DB,
        alert.id,
        { id, channelId, reason: "transition", payload: JSON.stringify({ delivery_id: id }) },
        at,
      );
    const stale = `dlv_stale_${crypto.randomUUID()}`;
    const fresh = `dlv_fresh_${crypto.randomUUID()}`;
    const ancient = `dlv_ancient_${crypto.randomUUID()}`;
    // Recorded by a run whose queue send then failed: nothing was ever queued for them.
    await env.DB.batch([
      row(stale, now - RESEND_AFTER_MS - MINUTE),
      row(fresh, now - MINUTE),
      row(ancient, now - 25 * 60 * MINUTE),
    ]);
    const runs = await Promise.all([evaluateAlerts(env, base()), evaluateAlerts(env, base())]);
    expect(runs.reduce((n, r) => n + r.resent, 0)).toBeGreaterThanOrEqual(1);
    const [got] = await waitFor(
      () => received(path),
      (r) => r.length >= 1,
    );
    expect(JSON.parse(got!.body).delivery_id).toBe(stale);
    expect(got!.headers["watchllm-delivery"]).toBe(stale);
    await waitFor(
      async () => (await history(owner, alert.id)).find((e) => e.kind === "delivery" && e.id === stale),
      (d) => d?.kind === "delivery" && d.status === "delivered",
    );
    // Two overlapping runs queued it once; the fresh one is left to its own send, the day-old one is given up.
    expect(await received(path)).toHaveLength(1);
    const statuses = await env.DB.prepare("SELECT id, status, attempts FROM alert_deliveries WHERE alert_id = ?")
      .bind(alert.id)
      .all<{ id: string; status: string; attempts: number }>();
    const byId = Object.fromEntries(statuses.results.map((r) => [r.id, [r.status, r.attempts]]));
    expect(byId).toEqual({ [stale]: ["delivered", 1], [fresh]: ["queued", 0], [ancient]: ["failed", 0] });
  });
});
