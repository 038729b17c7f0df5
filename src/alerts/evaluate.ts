// The every-minute evaluation (scheduled handler): each enabled rule's metric over its window, from the rollups
// (src/alerts/measure.ts: a project's rules that read the same rows share one read), judged for every group; state
// changes are claimed in D1 (src/db/writes/alerts.ts) so two overlapping runs notify once, and the winner queues one
// delivery per channel. D1 calls are per project, not per rule: one read of the rules' states, and their writes in
// batches of up to 500 statements. A rule that fails is recorded as failed and the others go on. Work is bounded per
// project (100 rules), per run (least recently evaluated first, within a time budget) and per rule (at most
// ALERT_LIMITS.maxGroups new firings a run, worst first; groups past that fire in the next minutes).
import type { AlertFilters, AlertState } from "../../contract/alerts.ts";
import { ALERT_LIMITS } from "../../contract/alerts.ts";
import { controlDb } from "../db/client.ts";
import { activeChannels, enabledRules, ruleStates, rulesStates } from "../db/queries/alerts.ts";
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
import { log } from "../lib/log.ts";
import { breaches, groupKeyOf, worseFirst, worst } from "./judge.ts";
import { type MeasuredRule, measureRules, type WindowValue } from "./measure.ts";
import { buildPayload, type Measured } from "./payload.ts";
import { enqueueDeliveries } from "./queue.ts";
import { resendUnsent } from "./resend.ts";

const MINUTE_MS = 60_000;
/** Rules judged per run at most (the rest, least recently judged first, wait for the next minute). */
const MAX_RULES_PER_RUN = 2_000;
/** Evaluations of the dashboard's small chart kept per rule. */
const RECENT_POINTS = 60;

type DueRule = {
  rule: AlertRuleRow;
  shard: number;
  projectName: string;
  /** Groups crossing the line whose state this run did not read (past one page of new firings). */
  unread: Set<string>;
};

/** The claims a rule's values call for: fire, resolve, or renotify (at most ALERT_LIMITS.maxGroups of each). */
function plan(
  due: DueRule,
  judged: Map<string, WindowValue>,
  breaching: Array<[string, WindowValue]>,
  states: AlertStateRow[],
  channels: AlertChannelRow[],
  at: number,
) {
  const { rule } = due;
  const byKey = new Map(states.map((s) => [s.groupKey, s]));
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
  let fired = 0;
  let renotified = 0;
  for (const [key, v] of breaching) {
    const seen = byKey.get(key);
    if (seen?.state !== "firing") {
      // A group whose state was not read (past the first page of new firings) waits for the next run.
      if (fired < ALERT_LIMITS.maxGroups && (seen || !due.unread.has(key))) {
        claim(key, v, seen, "firing", false);
        fired++;
      }
    } else if (
      rule.renotifyMinutes &&
      renotified < ALERT_LIMITS.maxGroups &&
      (seen.lastNotifiedAt ?? 0) <= at - rule.renotifyMinutes * MINUTE_MS
    ) {
      claim(key, v, seen, "firing", true);
      renotified++;
    }
  }
  let resolved = 0;
  for (const s of states) {
    if (s.state !== "firing" || resolved >= ALERT_LIMITS.maxGroups) continue;
    const v = judged.get(s.groupKey);
    if (v && breaches(rule, v)) continue;
    const group = s.groupJson ? (JSON.parse(s.groupJson) as Record<string, string>) : null;
    claim(s.groupKey, v ?? { group, value: null, count: 0 }, s, "resolved", false);
    resolved++;
  }
  return claims;
}

/** A rule's groups crossing the line this run, keyed, worst first. */
type Judged = { breaching: Array<[string, WindowValue]> };

const keyOf = (v: WindowValue) => v.key ?? groupKeyOf(v.group);

function judgeValues(rule: AlertRuleRow, values: WindowValue[]): Judged {
  // Only the groups crossing the line are keyed and sorted (worst first: the groups a run can't all fire at once go
  // out in that order), usually a few of thousands.
  const breaching: Array<[string, WindowValue]> = [];
  for (const v of values) if (breaches(rule, v)) breaching.push([keyOf(v), v]);
  const worse = worseFirst(rule);
  breaching.sort((a, b) => worse(a[1], b[1]));
  return { breaching };
}

/** The values of the groups that have a state (the only ones looked up by key), by key. */
function valuesOfStates(values: WindowValue[], states: AlertStateRow[]) {
  const judged = new Map<string, WindowValue>();
  if (!states.length) return judged;
  const keys = new Set(states.map((s) => s.groupKey));
  for (const v of values) {
    const key = keyOf(v);
    if (keys.has(key)) judged.set(key, v);
  }
  return judged;
}

/**
 * The states a run needs: every firing group, and those of the groups crossing the line now (worst first, one page of
 * ALERT_LIMITS.maxGroups not yet firing; the keys of the rest go to `unread`). `breaching`: their keys, worst first.
 * `read`: the first page's states when the project's read took them (readProjectStates).
 */
async function readStates(
  d1: D1Database,
  rule: AlertRuleRow,
  breaching: string[],
  unread: Set<string>,
  read?: AlertStateRow[],
) {
  const page = ALERT_LIMITS.maxGroups;
  const states = read ?? (await ruleStates(d1, rule.id, breaching.slice(0, page)));
  if (breaching.length > page) {
    const known = new Set(states.map((s) => s.groupKey));
    const rest = breaching.slice(page).filter((k) => !known.has(k));
    const more = rest.slice(0, page);
    const read = more.length ? await ruleStates(d1, rule.id, more) : [];
    for (const s of read) if (!known.has(s.groupKey)) states.push(s);
    for (const k of rest.slice(page)) unread.add(k);
  }
  return states;
}

/**
 * The first page of states (readStates) of a project's rules in one statement, by rule id; null when the read failed
 * (each rule then reads its own).
 */
async function readProjectStates(d1: D1Database, rules: ReadonlyArray<readonly [DueRule, Judged, ...unknown[]]>) {
  const groups: Array<[string, string]> = [];
  for (const [d, { breaching }] of rules)
    for (const [key] of breaching.slice(0, ALERT_LIMITS.maxGroups)) groups.push([d.rule.id, key]);
  try {
    const rows = await rulesStates(
      d1,
      rules.map(([d]) => d.rule.id),
      groups,
    );
    const out = new Map<string, AlertStateRow[]>(rules.map(([d]) => [d.rule.id, []]));
    for (const s of rows) out.get(s.alertId)?.push(s);
    return out;
  } catch (err) {
    log.error("alerts.states_read_failed", err, { project_id: rules[0]?.[0].rule.projectId });
    return null;
  }
}

/** One rule's writes of a run: its statements for the batch, and where its claims' results come back. */
type RuleWrites = { due: DueRule; statements: D1PreparedStatement[]; claimAt: Array<[number, Claim]> };

/** Judges one rule's values at `at`: its state changes claimed and its evaluation recorded (statements to batch). */
async function judgeRule(
  env: Bindings,
  due: DueRule,
  { breaching }: Judged,
  values: WindowValue[],
  channels: AlertChannelRow[],
  at: number,
  read?: AlertStateRow[],
): Promise<RuleWrites> {
  const { rule } = due;
  const states = await readStates(
    env.DB,
    rule,
    breaching.map(([key]) => key),
    due.unread,
    read,
  );
  const judged = valuesOfStates(values, states);
  const claims = plan(due, judged, breaching, states, channels, at);
  const recent = (JSON.parse(rule.recent) as Array<[number, number | null]>).filter(([t]) => t !== at);
  recent.push([at, worst(rule, values)]);
  recent.sort((a, b) => a[0] - b[0]);
  const statements: D1PreparedStatement[] = [];
  const claimAt: Array<[number, Claim]> = [];
  const claimed = new Set(claims.map((c) => c.groupKey));
  // Groups still firing show their value of now (a claim writes its own): at most a hundred, and only when it moved.
  let shown = 0;
  for (const s of states) {
    const v = judged.get(s.groupKey);
    if (s.state !== "firing" || !v || claimed.has(s.groupKey) || shown++ >= ALERT_LIMITS.maxGroups) continue;
    if (v.value !== s.value || v.count !== s.count)
      statements.push(firingValue(env.DB, rule.id, s.groupKey, v.value, v.count));
  }
  for (const c of claims) {
    const { statements: s, claimIndex } = claimStatements(env.DB, c);
    claimAt.push([statements.length + claimIndex, c]);
    statements.push(...s);
  }
  statements.push(evaluationDone(env.DB, rule.id, at, recent.slice(-RECENT_POINTS)));
  return { due, statements, claimAt };
}

/** Statements per D1 batch when a project's rules write together (a rule's own are never split). */
const BATCH_STATEMENTS = 500;

/**
 * Writes the rules' statements in as few D1 batches as fit BATCH_STATEMENTS (one call for most projects' minute, not one
 * per rule: D1 counts each call against the invocation's query limit), then queues the deliveries of the claims won.
 * A batch that fails is retried rule by rule, so only the rule at fault fails. Returns the rules written and queued.
 */
async function writeRules(env: Bindings, rules: RuleWrites[], at: number, report: EvaluationReport) {
  const chunks: RuleWrites[][] = [];
  let size = Number.POSITIVE_INFINITY;
  for (const r of rules) {
    if (size + r.statements.length > BATCH_STATEMENTS) {
      chunks.push([]);
      size = 0;
    }
    chunks.at(-1)!.push(r);
    size += r.statements.length;
  }
  const won = (r: RuleWrites, results: D1Result[], offset: number) =>
    r.claimAt.filter(([i]) => (results[offset + i]?.results.length ?? 0) > 0).flatMap(([, c]) => c.deliveries);
  for (const chunk of chunks) {
    const written: Array<[RuleWrites, NewDelivery[]]> = [];
    try {
      const results = await env.DB.batch(chunk.flatMap((r) => r.statements));
      let offset = 0;
      for (const r of chunk) {
        written.push([r, won(r, results, offset)]);
        offset += r.statements.length;
      }
    } catch (err) {
      if (chunk.length === 1) {
        report.failed++;
        await recordFailure(env.DB, chunk[0]!.due, at, err);
        continue;
      }
      for (const r of chunk)
        try {
          written.push([r, won(r, await env.DB.batch(r.statements), 0)]);
        } catch (err) {
          report.failed++;
          await recordFailure(env.DB, r.due, at, err);
        }
    }
    try {
      await enqueueDeliveries(
        env,
        written.flatMap(([, d]) => d.map((x) => x.id)),
      );
      for (const [, d] of written) report.notifications += d.length;
      report.evaluated += written.length;
    } catch (err) {
      // The claims are written: the deliveries are queued again by a later run's sweep (src/alerts/resend.ts).
      report.failed += written.length;
      for (const [r] of written) await recordFailure(env.DB, r.due, at, err);
    }
  }
}

async function recordFailure(d1: D1Database, due: DueRule, at: number, err: unknown) {
  const message = err instanceof Error ? err.message : String(err);
  log.error("alerts.evaluation_failed", err, { project_id: due.rule.projectId, alert_id: due.rule.id });
  await evaluationFailed(d1, due.rule.id, at, message).catch(() => undefined);
}

export type EvaluationReport = { evaluated: number; failed: number; notifications: number; resent: number };

const measured = (rule: AlertRuleRow): MeasuredRule => ({
  id: rule.id,
  metric: rule.metric,
  filters: JSON.parse(rule.filters) as AlertFilters,
  windowMinutes: rule.windowMinutes,
  groupBy: rule.groupBy as MeasuredRule["groupBy"],
});

/** One project's rules: measured together (shared reads), their states read together, judged, written in batches. */
async function evaluateProject(
  env: Bindings,
  rules: DueRule[],
  channels: Map<string, AlertChannelRow[]>,
  at: number,
  report: EvaluationReport,
) {
  let values: Awaited<ReturnType<typeof measureRules>>;
  try {
    values = await measureRules(
      shardDatabase(env, rules[0]!.shard),
      rules[0]!.rule.projectId,
      rules.map((d) => measured(d.rule)),
      at,
    );
  } catch (err) {
    values = new Map(rules.map((d) => [d.rule.id, err instanceof Error ? err : new Error(String(err))]));
  }
  // Each rule's groups judged, then the states of all of them read in one statement, then each rule's claims.
  const judged: Array<[DueRule, Judged, WindowValue[]]> = [];
  for (const d of rules) {
    try {
      const v = values.get(d.rule.id);
      if (!v || v instanceof Error) throw v ?? new Error("not measured");
      judged.push([d, judgeValues(d.rule, v), v]);
    } catch (err) {
      report.failed++;
      await recordFailure(env.DB, d, at, err);
    }
  }
  const states = judged.length ? await readProjectStates(env.DB, judged) : null;
  const writes: RuleWrites[] = [];
  for (const [d, j, v] of judged) {
    try {
      writes.push(await judgeRule(env, d, j, v, channels.get(d.rule.id) ?? [], at, states?.get(d.rule.id)));
    } catch (err) {
      report.failed++;
      await recordFailure(env.DB, d, at, err);
    }
  }
  await writeRules(env, writes, at, report);
}

/**
 * Evaluates every enabled rule at minute `at` (the cron's scheduled time) within `budgetMs`, after queueing again the
 * deliveries an earlier run recorded but could not queue (src/alerts/resend.ts).
 */
export async function evaluateAlerts(
  env: Bindings,
  scheduledTime: number,
  budgetMs = 40_000,
): Promise<EvaluationReport> {
  const at = Math.floor(scheduledTime / MINUTE_MS) * MINUTE_MS;
  const deadline = Date.now() + budgetMs;
  const db = controlDb(env.DB);
  const due = await enabledRules(db, MAX_RULES_PER_RUN);
  const byProject = new Map<string, DueRule[]>();
  for (const d of due) {
    const rules = byProject.get(d.rule.projectId) ?? [];
    if (rules.length < ALERT_LIMITS.maxRulesPerProject) rules.push({ ...d, unread: new Set() });
    byProject.set(d.rule.projectId, rules);
  }
  const projects = [...byProject.values()];
  const channels = new Map<string, AlertChannelRow[]>();
  for (const c of await activeChannels(
    db,
    projects.flat().map((d) => d.rule.id),
  ))
    channels.set(c.alertId, [...(channels.get(c.alertId) ?? []), c]);
  const report: EvaluationReport = { evaluated: 0, failed: 0, notifications: 0, resent: 0 };
  // Deliveries whose queue send failed in an earlier run go out first (the run's own are recorded after).
  report.resent = await resendUnsent(env, Date.now()).catch((err) => {
    log.error("alerts.resend_failed", err);
    return 0;
  });
  let next = 0;
  const worker = async () => {
    while (next < projects.length && Date.now() < deadline)
      await evaluateProject(env, projects[next++]!, channels, at, report);
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return report;
}
