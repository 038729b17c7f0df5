// The statements of an alert rule's patch (control plane): the rule's columns, its channels replaced, its states
// cleared. Each returns the statement, for the route's batch with its audit entry.
import { and, eq } from "drizzle-orm";
import type { ControlDb } from "../client.ts";
import { alertChannels, alertRules, alertStates } from "../control-schema.ts";

/** Sets columns of a rule of the project. */
export const ruleUpdate = (
  control: ControlDb,
  rule: { id: string; projectId: string },
  columns: Partial<typeof alertRules.$inferInsert>,
) =>
  control
    .update(alertRules)
    .set(columns)
    .where(and(eq(alertRules.id, rule.id), eq(alertRules.projectId, rule.projectId)));

export const ruleChannelsDelete = (control: ControlDb, alertId: string) =>
  control.delete(alertChannels).where(eq(alertChannels.alertId, alertId));

export const ruleChannelsInsert = (control: ControlDb, rows: (typeof alertChannels.$inferInsert)[]) =>
  control.insert(alertChannels).values(rows);

/** Forgets every group's state of a rule (it judges differently now: they start again from `ok`). */
export const ruleStatesDelete = (control: ControlDb, alertId: string) =>
  control.delete(alertStates).where(eq(alertStates.alertId, alertId));
