// Which data database (shard) holds each of these projects: the control plane's record. Projects not found (deleted)
// are absent from the answer.
import { count, eq, inArray } from "drizzle-orm";
import type { ControlDb } from "../client.ts";
import { projects } from "../schema.ts";

export async function projectShards(db: ControlDb, projectIds: string[]): Promise<Map<string, number>> {
  if (!projectIds.length) return new Map();
  const rows = await db
    .select({ id: projects.id, shard: projects.shard })
    .from(projects)
    .where(inArray(projects.id, projectIds));
  return new Map(rows.map((r) => [r.id, r.shard]));
}

/** Every project of an org with the data database it is placed on. */
export const orgPlacements = (db: ControlDb, orgId: string) =>
  db.select({ id: projects.id, shard: projects.shard }).from(projects).where(eq(projects.orgId, orgId));

/** How many projects each data database holds (databases holding none are absent). */
export const projectsPerShard = (db: ControlDb) =>
  db.select({ shard: projects.shard, n: count() }).from(projects).groupBy(projects.shard);
