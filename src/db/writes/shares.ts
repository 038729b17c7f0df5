// Writes of share links (control plane): a new link and its revocation, each for the route's batch with its audit entry.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { ControlDb } from "../client.ts";
import { shareLinks } from "../control-schema.ts";
import { ofProject } from "../queries/shares.ts";

export const shareInsert = (control: ControlDb, row: typeof shareLinks.$inferInsert) =>
  control.insert(shareLinks).values(row).returning();

export const shareRevoke = (control: ControlDb, projectId: string, shareId: string, at = Date.now()) =>
  control.update(shareLinks).set({ revokedAt: at }).where(ofProject(projectId, shareId)).returning();

/** Revokes the project's live links to these traces (being deleted: a later event under their id can't revive them). */
export const sharesRevokeOfTraces = (control: ControlDb, projectId: string, traceIds: string[], at = Date.now()) =>
  control
    .update(shareLinks)
    .set({ revokedAt: at })
    .where(
      and(
        eq(shareLinks.projectId, projectId),
        // One bound parameter however many (D1 binds at most 100 a statement).
        sql`${shareLinks.traceId} in (select value from json_each(${JSON.stringify(traceIds)}))`,
        isNull(shareLinks.revokedAt),
      ),
    );
