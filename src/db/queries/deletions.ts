// A deletion job (control plane), found within the caller's project or org: another's id finds nothing.
import { and, eq, sql } from "drizzle-orm";
import type { ControlDb } from "../client.ts";
import { jobs } from "../control-schema.ts";

/** The project's deletion `id` (a trace's or an end user's), or undefined. */
export async function projectDeletion(control: ControlDb, projectId: string, id: string) {
  const [job] = await control
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, id), eq(jobs.kind, "erase"), eq(jobs.projectId, projectId)));
  return job;
}

/** The org's deletion `id` (of any of its projects, deleted ones too), or undefined. */
export async function orgDeletion(control: ControlDb, orgId: string, id: string) {
  const [job] = await control
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, id), eq(jobs.kind, "erase"), sql`json_extract(${jobs.params}, '$.org_id') = ${orgId}`));
  return job;
}
