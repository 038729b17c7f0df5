// A project's score configs (control plane): set (insert or replace by name) and removed.
import { and, eq } from "drizzle-orm";
import type { ControlDb } from "../client.ts";
import { scoreConfigs } from "../control-schema.ts";

export const scoreConfigUpsert = (control: ControlDb, row: typeof scoreConfigs.$inferInsert) =>
  control
    .insert(scoreConfigs)
    .values(row)
    .onConflictDoUpdate({ target: [scoreConfigs.projectId, scoreConfigs.name], set: row })
    .returning();

export const scoreConfigDelete = (control: ControlDb, projectId: string, name: string) =>
  control
    .delete(scoreConfigs)
    .where(and(eq(scoreConfigs.projectId, projectId), eq(scoreConfigs.name, name)))
    .returning();
