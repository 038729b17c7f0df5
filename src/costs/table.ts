// The price table in D1 → the in-memory shape the matcher uses. Built-in rows (project_id NULL) change only with a
// migration, so each isolate keeps them for a few minutes; a project's overrides are read fresh for every batch.
import type { MatchRule, Rates } from "../../contract/costs.ts";
import type { ControlDb } from "../db/client.ts";
import { builtinPriceRows, projectPriceRows } from "../db/queries/prices.ts";
import type { prices } from "../db/schema.ts";
import { MINUTE_MS } from "../lib/time.ts";
import type { ModelPrices } from "./types.ts";

type PriceRow = typeof prices.$inferSelect;

const BUILTIN_TTL_MS = 5 * MINUTE_MS;
let builtinCache: { at: number; table: ModelPrices[] } | undefined;

/** Rows of one model (same provider, name and rule) become one entry with a period per effective date. */
function toModelPrices(rows: PriceRow[]): ModelPrices[] {
  const byModel = new Map<string, ModelPrices>();
  for (const row of rows) {
    const key = `${row.provider ?? ""}\u0000${row.model}\u0000${row.match}`;
    let entry = byModel.get(key);
    if (!entry) {
      entry = {
        provider: row.provider ?? "",
        model: row.model,
        match: JSON.parse(row.match) as MatchRule,
        builtin: row.projectId === null,
        periods: [],
      };
      byModel.set(key, entry);
    }
    entry.periods.push({ from: row.effectiveFrom, rates: JSON.parse(row.rates) as Rates });
  }
  return [...byModel.values()];
}

export async function builtinPrices(db: ControlDb): Promise<ModelPrices[]> {
  if (builtinCache && Date.now() - builtinCache.at < BUILTIN_TTL_MS) return builtinCache.table;
  const table = toModelPrices(await builtinPriceRows(db));
  builtinCache = { at: Date.now(), table };
  return table;
}

export async function projectOverrides(db: ControlDb, projectIds: string[]): Promise<Map<string, ModelPrices[]>> {
  const rows = projectIds.length ? await projectPriceRows(db, projectIds) : [];
  const byProject = new Map<string, PriceRow[]>();
  for (const row of rows) {
    const list = byProject.get(row.projectId!);
    if (list) list.push(row);
    else byProject.set(row.projectId!, [row]);
  }
  return new Map([...byProject].map(([project, list]) => [project, toModelPrices(list)]));
}
