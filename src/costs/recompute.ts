// Re-prices a project's past model calls in a time range with today's price table, one bounded step per call: each
// step reads the project's next SCAN events by key (src/db/queries/reprice.ts), updates the calls among them whose cost
// changes, in one transaction takes them out of the rollups before and adds them back after (by difference), rebuilds
// their traces' totals, and returns a cursor. A repeated step finds nothing to change, so a recompute can be resumed
// from any cursor it gave out.
import { z } from "zod";
import { PAGE_LIMITS } from "../../contract/limits.ts";
import type { ControlDb } from "../db/client.ts";
import { callsToReprice } from "../db/queries/reprice.ts";
import { adjustRollups, rebuildSummaries } from "../db/writes/derived.ts";
import { eventCostsSet } from "../db/writes/reprice.ts";
import { type CursorValues, timeAndId } from "../lib/cursor.ts";
import { priceCall } from "./enrich.ts";
import { builtinPrices, projectOverrides } from "./table.ts";

/** A recompute's cursor: [0, trace_id, event_id], or an older release's [time, event_id] (which starts again). */
export const recomputeCursor = z.union([z.tuple([z.number(), z.string(), z.string()]), timeAndId]);

/** Events read per step, every call among them possibly updated. */
const SCAN = PAGE_LIMITS.recomputeStep;

/** `control` holds the prices; `d1` is the project's data database. */
export async function recomputeStep(
  control: ControlDb,
  d1: D1Database,
  projectId: string,
  range: { from: number; to: number },
  after?: CursorValues,
) {
  // The cursor is [0, last trace_id, last event_id] (the number is kept for the cursor's shape; it was a time). An older
  // cursor [time or 0, event_id] starts again from the first event: a repeated step changes nothing.
  const last = after?.length === 3 ? ([after[1], after[2]] as [string, string]) : undefined;
  const page = await callsToReprice(d1, projectId, range, last, SCAN);
  const rows = page.calls;
  const [builtin, overrides] = await Promise.all([builtinPrices(control), projectOverrides(control, [projectId])]);
  const own = overrides.get(projectId) ?? [];
  const changed = rows.flatMap((row) => {
    const { cost, source } = priceCall(row, own, builtin);
    return cost === row.cost_usd && source === row.cost_source ? [] : [{ row, cost, source }];
  });
  if (changed.length) {
    const traceIds = [...new Set(changed.map((c) => c.row.trace_id))];
    const rowids = changed.map((c) => c.row.rowid);
    await d1.batch([
      ...adjustRollups(d1, rowids, -1),
      eventCostsSet(
        d1,
        projectId,
        changed.map((c) => [c.row.rowid, c.cost, c.source]),
      ),
      ...adjustRollups(d1, rowids, 1),
      ...rebuildSummaries(d1, projectId, traceIds, Date.now()),
    ]);
  }
  return {
    scanned: rows.length,
    updated: changed.length,
    next: page.full && page.last !== null ? ([0, ...page.last] as CursorValues) : null,
  };
}
