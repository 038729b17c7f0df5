// Reads of the price table (control plane), for the cost matcher (costs/table.ts).
import { inArray, isNull } from "drizzle-orm";
import type { ControlDb } from "../client.ts";
import { prices } from "../control-schema.ts";

/** The built-in rows (no project). */
export const builtinPriceRows = (control: ControlDb) => control.select().from(prices).where(isNull(prices.projectId));

/** The overrides of these projects. */
export const projectPriceRows = (control: ControlDb, projectIds: string[]) =>
  control.select().from(prices).where(inArray(prices.projectId, projectIds));
