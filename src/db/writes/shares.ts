// Writes of share links (control plane): a new link and its revocation, each for the route's batch with its audit entry.
import type { ControlDb } from "../client.ts";
import { shareLinks } from "../control-schema.ts";
import { ofProject } from "../queries/shares.ts";

export const shareInsert = (control: ControlDb, row: typeof shareLinks.$inferInsert) =>
  control.insert(shareLinks).values(row).returning();

export const shareRevoke = (control: ControlDb, projectId: string, shareId: string, at = Date.now()) =>
  control.update(shareLinks).set({ revokedAt: at }).where(ofProject(projectId, shareId)).returning();
