// /api/projects/:project/alerts: alert rules (admins write, members read, every change audit-logged), their history,
// a test notification, and the form's preview.
import { type Context, Hono } from "hono";
import type { z } from "zod";
import type { okAnswer } from "../../contract/accounts.ts";
import {
  type Alert,
  type AlertHistoryEntry,
  type AlertPreview,
  alertCreate,
  alertPatch,
  alertPreviewDays,
  alertPreviewQuery,
  alertRuleFits,
} from "../../contract/alerts.ts";
import { previewRule } from "../alerts/preview.ts";
import {
  channelRows,
  checkChannels,
  checkRuleLimit,
  newSigningSecret,
  patchStatements,
  ruleColumns,
  sendTest,
} from "../alerts/rules.ts";
import { alertView, historyView } from "../alerts/views.ts";
import { actorOf } from "../auth/access.ts";
import { projectAccess, projectD1 } from "../auth/middleware.ts";
import { controlDb } from "../db/client.ts";
import { projectRules, ruleHistory } from "../db/queries/alerts.ts";
import { projectName } from "../db/queries/projects.ts";
import { ruleDelete, ruleInsert } from "../db/writes/alerts.ts";
import { auditInsert } from "../db/writes/audit.ts";
import type { AppEnv } from "../env.ts";
import { answer } from "../lib/answer.ts";
import { ApiError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { invalid, valid } from "../lib/validate.ts";

async function oneRule(c: Context<AppEnv>, alertId: string) {
  const [found] = await projectRules(controlDb(c.env.DB), c.var.project.projectId, alertId);
  if (!found) throw new ApiError("not_found", "No such alert.");
  return found;
}

const audit = (c: Context<AppEnv>, action: string, target: string, details: Record<string, unknown> = {}) =>
  auditInsert(controlDb(c.env.DB), {
    orgId: c.var.project.orgId,
    projectId: c.var.project.projectId,
    actor: actorOf(c),
    action,
    target,
    details,
  });

export const alertsRoute = new Hono<AppEnv>()
  .get("/:project/alerts", projectAccess("member", "see alerts"), async (c) => {
    const rules = await projectRules(controlDb(c.env.DB), c.var.project.projectId);
    return answer(c, "GET /api/projects/:project/alerts", { alerts: rules.map(alertView) satisfies Alert[] });
  })
  .post("/:project/alerts", projectAccess("admin", "create alerts"), valid("json", alertCreate), async (c) => {
    const input = c.req.valid("json");
    const db = controlDb(c.env.DB);
    const { projectId } = c.var.project;
    checkChannels(c.env, input.channels);
    await checkRuleLimit(db, projectId);
    const id = newId("alr");
    const secret = newSigningSecret();
    const channels = channelRows(id, input.channels);
    const row = {
      id,
      projectId,
      ...ruleColumns(input),
      name: input.name,
      metric: input.metric,
      windowMinutes: input.window_minutes,
      op: input.op,
      threshold: input.threshold,
      signingSecret: secret,
      origin: new URL(c.req.url).origin,
    };
    await db.batch([
      ...ruleInsert(db, row, channels),
      audit(c, "alert.created", input.name, { alert_id: id, metric: input.metric, channels: channels.length }),
    ]);
    return answer(
      c,
      "POST /api/projects/:project/alerts",
      { alert: alertView(await oneRule(c, id)), signing_secret: secret },
      201,
    );
  })
  // The preview of a rule being written (not saved): POST because filters nest.
  .post(
    "/:project/alerts/preview",
    projectAccess("member", "preview alerts"),
    valid("query", alertPreviewDays),
    valid("json", alertPreviewQuery),
    async (c) => {
      const rule = c.req.valid("json");
      const preview = await previewRule(
        projectD1(c),
        c.var.project.projectId,
        rule,
        c.req.valid("query").days,
        Date.now(),
      );
      return answer(c, "POST /api/projects/:project/alerts/preview", preview satisfies AlertPreview);
    },
  )
  .get("/:project/alerts/:alert", projectAccess("member", "see alerts"), async (c) =>
    answer(c, "GET /api/projects/:project/alerts/:alert", { alert: alertView(await oneRule(c, c.req.param("alert"))) }),
  )
  .patch("/:project/alerts/:alert", projectAccess("admin", "change alerts"), valid("json", alertPatch), async (c) => {
    const patch = c.req.valid("json");
    const { rule } = await oneRule(c, c.req.param("alert"));
    const fits = alertRuleFits.safeParse({
      metric: patch.metric ?? rule.metric,
      threshold: patch.threshold ?? rule.threshold,
      filters: patch.filters ?? JSON.parse(rule.filters),
      group_by: patch.group_by !== undefined ? patch.group_by : rule.groupBy,
    });
    if (!fits.success) throw invalid("json", fits.error);
    if (patch.channels) checkChannels(c.env, patch.channels);
    const db = controlDb(c.env.DB);
    await db.batch([
      ...patchStatements(db, rule, patch, Date.now()),
      audit(c, "alert.changed", patch.name ?? rule.name, { alert_id: rule.id, fields: Object.keys(patch) }),
    ]);
    return answer(c, "PATCH /api/projects/:project/alerts/:alert", { alert: alertView(await oneRule(c, rule.id)) });
  })
  .delete("/:project/alerts/:alert", projectAccess("admin", "delete alerts"), async (c) => {
    const { rule } = await oneRule(c, c.req.param("alert"));
    const db = controlDb(c.env.DB);
    await db.batch([
      ruleDelete(db, rule.projectId, rule.id),
      audit(c, "alert.deleted", rule.name, { alert_id: rule.id }),
    ]);
    return answer(c, "DELETE /api/projects/:project/alerts/:alert", { ok: true } satisfies z.infer<typeof okAnswer>);
  })
  .get("/:project/alerts/:alert/history", projectAccess("member", "see alert history"), async (c) => {
    const { rule } = await oneRule(c, c.req.param("alert"));
    const { transitions, deliveries } = await ruleHistory(controlDb(c.env.DB), rule.id);
    return answer(c, "GET /api/projects/:project/alerts/:alert/history", {
      history: historyView(transitions, deliveries) satisfies AlertHistoryEntry[],
    });
  })
  .post("/:project/alerts/:alert/test", projectAccess("admin", "send test notifications"), async (c) => {
    const { rule, channels } = await oneRule(c, c.req.param("alert"));
    if (!channels.length) throw new ApiError("invalid_request", "The alert has no channels to test.");
    const db = controlDb(c.env.DB);
    const name = await projectName(db, rule.projectId);
    const ids = await sendTest(
      c.env,
      rule,
      { id: rule.projectId, name: name ?? "" },
      channels.map((ch) => ch.id),
    );
    await audit(c, "alert.tested", rule.name, { alert_id: rule.id, delivery_ids: ids });
    return answer(c, "POST /api/projects/:project/alerts/:alert/test", { delivery_ids: ids }, 202);
  });
