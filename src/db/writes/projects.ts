// Writes of a project's control-plane rows: its settings, its removal (keys, links, prices, the row) and its API keys.
// Each returns the statement, for the route's batch with its audit entry.
import { and, eq, sql } from "drizzle-orm";
import type { ControlDb } from "../client.ts";
import { apiKeys, prices, projects, shareLinks } from "../control-schema.ts";

/** Renames the project and/or sets its retention; returns the row. */
export const projectUpdate = (
  control: ControlDb,
  projectId: string,
  patch: { name?: string; retentionDays?: number | null },
) => control.update(projects).set(patch).where(eq(projects.id, projectId)).returning();

/** What goes at once when a project is deleted (its data follows in bounded steps: maintenance/erase.ts). */
export const projectRemovals = (control: ControlDb, projectId: string) =>
  [
    control.delete(apiKeys).where(eq(apiKeys.projectId, projectId)),
    control.delete(shareLinks).where(eq(shareLinks.projectId, projectId)),
    control.delete(prices).where(eq(prices.projectId, projectId)),
    control.delete(projects).where(eq(projects.id, projectId)),
  ] as const;

/** A new project's row (its placement chosen by accounts/placement.ts). */
export const projectInsert = (control: ControlDb, project: typeof projects.$inferInsert) =>
  control.insert(projects).values(project);

/** A new project's first keys. */
export const keysInsert = (control: ControlDb, rows: (typeof apiKeys.$inferInsert)[]) =>
  control.insert(apiKeys).values(rows);

/** Places a project on another data database (a move's switch: maintenance/move.ts). */
export const projectShardSet = (control: ControlDb, projectId: string, shard: number) =>
  control.update(projects).set({ shard }).where(eq(projects.id, projectId));

export const keyInsert = (control: ControlDb, row: typeof apiKeys.$inferInsert) =>
  control.insert(apiKeys).values(row).returning();

/**
 * Revokes a key of the project at `at`; returns it, or nothing when the project has no such key. A key revoked before
 * keeps its time (the returned `revokedAt` tells which).
 */
export const keyRevoke = (control: ControlDb, projectId: string, keyId: string, at: number) =>
  control
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${at})` })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.projectId, projectId)))
    .returning();
