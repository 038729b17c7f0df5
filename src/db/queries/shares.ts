// Reads of a project's share links (control plane), for /api/projects/:project/shares.
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { ControlDb } from "../client.ts";
import { projects, shareLinks, users } from "../control-schema.ts";

/** The project's most recent links listed (revoked and expired ones included, until they age out of the list). */
const LIST_LIMIT = 200;

/** Links with their creator's name (a member's name, else email; null for a key or a member since removed). */
const withCreator = (control: ControlDb) =>
  control
    .select({ link: shareLinks, name: sql<string | null>`coalesce(nullif(${users.name}, ''), ${users.email})` })
    .from(shareLinks)
    .leftJoin(
      users,
      and(sql`${shareLinks.createdBy} like 'user:%'`, eq(users.id, sql`substr(${shareLinks.createdBy}, 6)`)),
    );

/** The links of a project (or of one of its traces), newest first, with their creators' names. */
export const projectShares = (control: ControlDb, projectId: string, traceId?: string) =>
  withCreator(control)
    .where(
      and(eq(shareLinks.projectId, projectId), traceId === undefined ? undefined : eq(shareLinks.traceId, traceId)),
    )
    .orderBy(desc(shareLinks.createdAt))
    .limit(LIST_LIMIT);

/** A link of the project with its creator's name, or undefined. */
export async function projectShare(control: ControlDb, projectId: string, shareId: string) {
  const [found] = await withCreator(control).where(ofProject(projectId, shareId)).limit(1);
  return found;
}

export const ofProject = (projectId: string, shareId: string) =>
  and(eq(shareLinks.id, shareId), eq(shareLinks.projectId, projectId));

/** A link by its token's hash, with the data database of its project (a link whose project is gone is not found). */
export async function shareByHash(control: ControlDb, tokenHash: string) {
  const [found] = await control
    .select({ link: shareLinks, shard: projects.shard })
    .from(shareLinks)
    .innerJoin(projects, eq(projects.id, shareLinks.projectId))
    .where(eq(shareLinks.tokenHash, tokenHash))
    .limit(1);
  return found;
}

/** The traces the project's live (unrevoked) links show. */
export async function liveShareTraces(control: ControlDb, projectId: string) {
  const rows = await control
    .select({ traceId: shareLinks.traceId })
    .from(shareLinks)
    .where(and(eq(shareLinks.projectId, projectId), isNull(shareLinks.revokedAt)))
    .groupBy(shareLinks.traceId);
  return rows.map((r) => r.traceId);
}
