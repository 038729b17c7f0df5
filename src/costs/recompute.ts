// Re-prices a project's past model calls in a time range with today's price table, one bounded step per call:
// each step updates up to STEP events, rebuilds the rollup hours and trace totals they touch, and returns a cursor.
// Absolute rewrites make a step safe to repeat, so a recompute can be resumed from any cursor it gave out.
import { PAGE_LIMITS } from "../../contract/limits.ts";
import { type ControlDb, dataDb } from "../db/client.ts";
import { callsToReprice } from "../db/queries/reprice.ts";
import { rebuildRollups, rebuildSummaries } from "../db/writes/derived.ts";
import { eventCostsSet } from "../db/writes/reprice.ts";
import type { CursorValues } from "../lib/cursor.ts";
import { HOUR_MS } from "../lib/time.ts";
import { priceCall } from "./enrich.ts";
import { builtinPrices, projectOverrides } from "./table.ts";

const RECOMPUTE_STEP = PAGE_LIMITS.recomputeStep;

/** `control` holds the prices; `d1` is the project's data database. */
export async function recomputeStep(
  control: ControlDb,
  d1: D1Database,
  projectId: string,
  range: { from: number; to: number },
  after?: CursorValues,
) {
  const rows = await callsToReprice(dataDb(d1), projectId, range, after, RECOMPUTE_STEP);
  const [builtin, overrides] = await Promise.all([builtinPrices(control), projectOverrides(control, [projectId])]);
  const own = overrides.get(projectId) ?? [];
  const changed = rows.flatMap((row) => {
    const { cost, source } = priceCall(row, own, builtin);
    return cost === row.cost_usd && source === row.cost_source ? [] : [{ row, cost, source }];
  });
  if (changed.length) {
    const hours = [...new Set(changed.map((c) => Math.floor(c.row.ts / HOUR_MS) * HOUR_MS))];
    const traceIds = [...new Set(changed.map((c) => c.row.trace_id))];
    await d1.batch([
      eventCostsSet(
        d1,
        projectId,
        changed.map((c) => [c.row.event_id, c.cost, c.source]),
      ),
      ...rebuildRollups(d1, projectId, hours),
      ...rebuildSummaries(d1, projectId, traceIds, Date.now()),
    ]);
  }
  const last = rows.at(-1);
  return {
    scanned: rows.length,
    updated: changed.length,
    next: rows.length === RECOMPUTE_STEP && last ? ([last.ts, last.event_id] as CursorValues) : null,
  };
}
