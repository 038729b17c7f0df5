// The every-minute evaluation (scheduled handler): each enabled rule's metric over its window, from the monitoring
// reads (src/metrics/measure.ts), judged per group; state changes are claimed in D1 (src/db/writes/alerts.ts) so two
// overlapping runs notify once, and the winner queues one delivery per channel. A rule that fails is recorded as failed
// and the others go on; work is bounded per project and per run (least recently evaluated first).
import type { AlertFilters, AlertState } from "../../contract/alerts.ts";
import { ALERT_LIMITS } from "../../contract/alerts.ts";
import { database } from "../db/client.ts";
import { activeChannels, enabledRules, ruleStates } from "../db/queries/alerts.ts";
import type { AlertChannelRow, AlertRuleRow, AlertStateRow } from "../db/schema.ts";
import { shardDatabase } from "../db/shards.ts";
import {
  type Claim,
  claimStatements,
  evaluationDone,
  evaluationFailed,
  firingValue,
  type NewDelivery,
} from "../db/writes/alerts.ts";
import type { Bindings } from "../env.ts";
import { newId } from "../lib/ids.ts";
import { measureWindow, type WindowValue } from "../metrics/measure.ts";
import { breaches, groupKeyOf, worst } from "./judge.ts";
import { buildPayload, type Measured } from "./payload.ts";
import { enqueueDeliveries } from "./queue.ts";

const MINUTE_MS = 60_000;
/** Rules judged per run at most (the rest, least recently judged first, wait for the next minute). */
const MAX_RULES_PER_RUN = 2_000;
/** Evaluations of the dashboard's small chart kept per rule. */
const RECENT_POINTS = 60;

type DueRule = { rule: AlertRuleRow; shard: number; projectName: string };

/** The claims a rule's values call for: fire, resolve, or renotify. */
function plan(due: DueRule, values: WindowValue[], states: AlertStateRow[], channels: AlertChannelRow[], at: number) {
  const { rule } = due;
  const byKey = new Map(states.map((s) => [s.groupKey, s]));
  const judged = new Map(values.map((v) => [groupKeyOf(v.group), v]));
  const claims: Claim[] = [];
  const claim = (key: string, m: Measured, seen: AlertStateRow | undefined, to: AlertState, renotify: boolean) => {
    const deliveries: NewDelivery[] = channels.map((ch) => {
      const id = newId("dlv");
      const payload = buildPayload(
        rule,
        { id: rule.projectId, name: due.projectName },
        { ...m, state: to, reason: renotify ? "renotify" : "transition", deliveryId: id, at },
      );
      return { id, channelId: ch.id, reason: payload.reason, payload: JSON.stringify(payload) };
    });
    claims.push({
      alertId: rule.id,
      groupKey: key,
      groupJson: m.group ? JSON.stringify(m.group) : null,
      seen: seen
        ? { state: seen.state, transition: seen.transition, lastNotifiedAt: seen.lastNotifiedAt }
        : { state: null, transition: 0, lastNotifiedAt: null },
      to,
      renotify,
      value: m.value,
      count: m.count,
      threshold: rule.threshold,
      at,
      transitionId: newId("atr"),
      deliveries,
    });
  };
  for (const [key, v] of judged) {
    if (!breaches(rule, v)) continue;
    const seen = byKey.get(key);
    if (seen?.state !== "firing") claim(key, v, seen, "firing", false);
    else if (rule.renotifyMinutes && (seen.lastNotifiedAt ?? 0) <= at - rule.renotifyMinutes * MINUTE_MS)
      claim(key, v, seen, "firing", true);
  }
  for (const s of states) {
    if (s.state !== "firing") continue;
    const v = judged.get(s.groupKey);
    if (v && breaches(rule, v)) continue;
    const group = s.groupJson ? (JSON.parse(s.groupJson) as Record<string, string>) : null;
    claim(s.groupKey, v ?? { group, value: null, count: 0 }, s, "resolved", false);
  }
  return claims;
}

/** Judges one rule at `at`; returns how many notifications it queued. */
async function evaluateRule(env: Bindings, due: DueRule, channels: AlertChannelRow[], at: number) {
  const { rule } = due;
  const values = await measureWindow(shardDatabase(env, due.shard), rule.projectId, {
    metric: rule.metric,
    filters: JSON.parse(rule.filters) as AlertFilters,
    from: at - rule.windowMinutes * MINUTE_MS,
    to: at,
    group_by: rule.groupBy as "user_id" | "model" | "name" | null,
    limit: ALERT_LIMITS.maxGroups,
  });
  const breaching = values.filter((v) => breaches(rule, v)).map((v) => groupKeyOf(v.group));
  const states = await ruleStates(env.DB, rule.id, breaching);
  const claims = plan(due, values, states, channels, at);
  const recent = (JSON.parse(rule.recent) as Array<[number, number | null]>).filter(([t]) => t !== at);
  recent.push([at, worst(rule, values)]);
  recent.sort((a, b) => a[0] - b[0]);
  const statements: D1PreparedStatement[] = [];
  const claimAt: Array<[number, Claim]> = [];
  // Groups still firing show their value of now (a claim writes its own).
  const claimed = new Set(claims.map((c) => c.groupKey));
  for (const s of states) {
    const v = values.find((x) => groupKeyOf(x.group) === s.groupKey);
    if (s.state === "firing" && v && !claimed.has(s.groupKey))
      statements.push(firingValue(env.DB, rule.id, s.groupKey, v.value, v.count));
  }
  for (const c of claims) {
    const { statements: s, claimIndex } = claimStatements(env.DB, c);
    claimAt.push([statements.length + claimIndex, c]);
    statements.push(...s);
  }
  statements.push(evaluationDone(env.DB, rule.id, at, recent.slice(-RECENT_POINTS)));
  const results = await env.DB.batch(statements);
  const won = claimAt.filter(([i]) => (results[i]?.results.length ?? 0) > 0).flatMap(([, c]) => c.deliveries);
  await enqueueDeliveries(
    env,
    won.map((d) => d.id),
  );
  return won.length;
}

async function recordFailure(d1: D1Database, due: DueRule, at: number, err: unknown) {
  const message = err instanceof Error ? err.message : String(err);
  console.error("watchllm: alert evaluation failed", due.rule.id, message);
  await evaluationFailed(d1, due.rule.id, at, message).catch(() => undefined);
}

export type EvaluationReport = { evaluated: number; failed: number; notifications: number };

/** Evaluates every enabled rule at minute `at` (the cron's scheduled time) within `budgetMs`. */
export async function evaluateAlerts(
  env: Bindings,
  scheduledTime: number,
  budgetMs = 40_000,
): Promise<EvaluationReport> {
  const at = Math.floor(scheduledTime / MINUTE_MS) * MINUTE_MS;
  const deadline = Date.now() + budgetMs;
  const db = database(env.DB);
  const due = await enabledRules(db, MAX_RULES_PER_RUN);
  const perProject = new Map<string, number>();
  const bounded = due.filter((d) => {
    const n = (perProject.get(d.rule.projectId) ?? 0) + 1;
    perProject.set(d.rule.projectId, n);
    return n <= ALERT_LIMITS.maxRulesPerProject;
  });
  const channels = new Map<string, AlertChannelRow[]>();
  for (const c of await activeChannels(
    db,
    bounded.map((d) => d.rule.id),
  ))
    channels.set(c.alertId, [...(channels.get(c.alertId) ?? []), c]);
  const report: EvaluationReport = { evaluated: 0, failed: 0, notifications: 0 };
  let next = 0;
  const worker = async () => {
    while (next < bounded.length && Date.now() < deadline) {
      const d = bounded[next++]!;
      try {
        const queued = await evaluateRule(env, d, channels.get(d.rule.id) ?? [], at);
        report.notifications += queued;
        report.evaluated++;
      } catch (err) {
        report.failed++;
        await recordFailure(env.DB, d, at, err);
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return report;
}
