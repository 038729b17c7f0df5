// A project's price overrides (control plane): listed, added, changed and removed by /api/v1/prices. Each statement is
// scoped to the project, so a price id of another project finds nothing.
import { and, eq } from "drizzle-orm";
import type { ControlDb } from "../client.ts";
import { prices } from "../control-schema.ts";

type PriceInsert = typeof prices.$inferInsert;
type PriceChange = Partial<Pick<PriceInsert, "model" | "provider" | "match" | "effectiveFrom" | "rates">>;

const ofProject = (projectId: string, priceId: string) => and(eq(prices.id, priceId), eq(prices.projectId, projectId));

/** The project's overrides by model and effective date. */
export const projectPrices = (control: ControlDb, projectId: string) =>
  control.select().from(prices).where(eq(prices.projectId, projectId)).orderBy(prices.model, prices.effectiveFrom);

export const priceInsert = (control: ControlDb, row: PriceInsert) => control.insert(prices).values(row).returning();

export const priceUpdate = (control: ControlDb, projectId: string, priceId: string, change: PriceChange) =>
  control
    .update(prices)
    .set({ ...change, updatedAt: Date.now() })
    .where(ofProject(projectId, priceId))
    .returning();

export const priceDelete = (control: ControlDb, projectId: string, priceId: string) =>
  control.delete(prices).where(ofProject(projectId, priceId)).returning();
