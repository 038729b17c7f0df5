// How many alert rules a project has (control plane), for the per-project limit.
import { count, eq } from "drizzle-orm";
import type { ControlDb } from "../client.ts";
import { alertRules } from "../control-schema.ts";

export async function ruleCount(control: ControlDb, projectId: string) {
  const [row] = await control.select({ n: count() }).from(alertRules).where(eq(alertRules.projectId, projectId));
  return row?.n ?? 0;
}
