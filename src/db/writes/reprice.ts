// A cost recompute's write of new costs onto events (a project's data database), for its batch with the rebuilt
// rollup hours and trace totals (derived.ts).

const UPDATE_EVENTS_SQL = `UPDATE events SET cost_usd = j.value ->> 1, cost_source = j.value ->> 2
  FROM json_each(?2) j WHERE events.rowid = j.value ->> 0 AND +events.project_id = ?1`;

/**
 * Sets each `[rowid, cost_usd, cost_source]` of the project's events (rowids as the recompute's page read them). The
 * `+` keeps the planner on the rowids (`SEARCH events USING INTEGER PRIMARY KEY (rowid=?)`), not the project's events.
 */
export const eventCostsSet = (d1: D1Database, projectId: string, costs: [number, number | null, string | null][]) =>
  d1.prepare(UPDATE_EVENTS_SQL).bind(projectId, JSON.stringify(costs));
