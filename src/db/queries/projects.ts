// Reads of a project (control plane) and whether events have arrived (its data database), for /api/projects/:project.
import { desc, eq } from "drizzle-orm";
import type { ControlDb, DataDb } from "../client.ts";
import { apiKeys, projects } from "../control-schema.ts";
import { traces } from "../data-schema.ts";

/** The project's row (the caller's access was resolved from it, so it exists). */
export async function projectRow(control: ControlDb, projectId: string) {
  const [project] = await control.select().from(projects).where(eq(projects.id, projectId));
  return project!;
}

/** The start of the project's latest trace, or undefined before any event arrived. */
export async function latestTraceStart(data: DataDb, projectId: string) {
  const [latest] = await data
    .select({ at: traces.startTs })
    .from(traces)
    .where(eq(traces.projectId, projectId))
    .orderBy(desc(traces.startTs))
    .limit(1);
  return latest?.at;
}

/** The project's API keys, newest first (revoked ones too). */
export const projectKeys = (control: ControlDb, projectId: string) =>
  control.select().from(apiKeys).where(eq(apiKeys.projectId, projectId)).orderBy(desc(apiKeys.createdAt));

/** The project's name (what notifications say), or undefined when it is gone. */
export async function projectName(control: ControlDb, projectId: string) {
  const [project] = await control.select({ name: projects.name }).from(projects).where(eq(projects.id, projectId));
  return project?.name;
}

/** Every project with its data database and its own retention (null: the instance's default), in id order. */
export const projectRetentions = (control: ControlDb) =>
  control
    .select({ id: projects.id, shard: projects.shard, own: projects.retentionDays })
    .from(projects)
    .orderBy(projects.id);
