// Every list query the trace API can build reads through an index: EXPLAIN QUERY PLAN never shows a full scan of
// events or traces (a project's traces, searched by its key, are not a full scan).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { TRACE_SORTS } from "../../contract/constants.ts";
import { groupListParams, traceListParams } from "../../contract/trace-query.ts";
import { treeDetail, treeEventsQuery } from "../../src/db/queries/trace-events.ts";
import { groupQuery } from "../../src/db/queries/trace-groups.ts";
import { traceListQuery } from "../../src/db/queries/trace-list.ts";
import { COST_ROLLUP_SQL } from "../../src/db/writes/cost-rollup.ts";
import { METRICS_ROLLUP_SQL } from "../../src/db/writes/metrics-rollup.ts";
import { SEARCH_INDEX_SQL } from "../../src/db/writes/search-index.ts";
import { SUMMARY_UPSERT_SQL } from "../../src/db/writes/summary.ts";
import { USAGE_TALLY_SQL } from "../../src/db/writes/usage.ts";
import { encodeCursor } from "../../src/lib/cursor.ts";
import { data as db } from "./fixtures.ts";

async function plan(query: { toSQL: () => { sql: string; params: unknown[] } }) {
  const { sql, params } = query.toSQL();
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>();
  return results.map((r) => r.detail);
}

/** A plan line that reads a whole table: `SCAN events`, `SCAN traces` (with or without an index to walk). */
const fullScans = (lines: string[]) => lines.filter((l) => /^SCAN (events|traces)\b/.test(l));

const FILTERS = [
  {},
  { status: "error" },
  { name: "agent" },
  { event_name: "chat" }, // each trace's events probed by their key (project, trace), never a scan of events
  { model: "gpt-4o" },
  { user_id: "u" },
  { session_id: "s" },
  { tag: "prod" },
  { from: "1764000000000", to: "1764100000000" },
  { min_duration_ms: "100", max_duration_ms: "900" },
  { min_cost: "0.1" },
  { q: "refund" },
  { status: "ok", model: "gpt-4o", from: "1764000000000", to: "1764100000000" },
];

describe("query plans", () => {
  for (const sort of TRACE_SORTS) {
    for (const order of ["desc", "asc"]) {
      it(`trace list sorted by ${sort} ${order} uses indexes under every filter`, async () => {
        for (const filter of FILTERS) {
          for (const cursor of [undefined, encodeCursor([5, "t1", sort])]) {
            const params = traceListParams.parse({ ...filter, sort, order, cursor });
            const lines = await plan(traceListQuery(db, "prj_x", params));
            expect(fullScans(lines), `${JSON.stringify(params)}\n${lines.join("\n")}`).toEqual([]);
          }
        }
      });
    }
  }

  it("the unfiltered list by start time needs no sort step: it walks the index; the other sorts search the project", async () => {
    const lines = await plan(traceListQuery(db, "prj_x", traceListParams.parse({ sort: "start_time" })));
    expect(lines.join("\n")).toContain("USING INDEX traces_project_start (project_id=?)");
    expect(lines.join("\n")).not.toContain("TEMP B-TREE");
    for (const sort of TRACE_SORTS.filter((s) => s !== "start_time")) {
      const other = await plan(traceListQuery(db, "prj_x", traceListParams.parse({ sort })));
      expect(other.join("\n")).toMatch(
        /SEARCH traces USING (PRIMARY KEY|INDEX traces_project_start) \(project_id=\?\)/,
      );
    }
  });

  it("sessions, users and the tree read through indexes", async () => {
    for (const by of ["session", "user"] as const) {
      for (const extra of [{}, { user_id: "u" }, { cursor: encodeCursor([1, "x"]) }]) {
        expect(fullScans(await plan(groupQuery(db, "prj_x", by, groupListParams.parse(extra))))).toEqual([]);
      }
      expect(fullScans(await plan(groupQuery(db, "prj_x", by, { ...groupListParams.parse({}), id: "x" })))).toEqual([]);
    }
    expect(fullScans(await plan(treeEventsQuery(db, "prj_x", "t", treeDetail(10))))).toEqual([]);
  });

  it("a trace's events and the rows one write inserted are found through the events' key (project, trace, event)", async () => {
    const tree = await plan(treeEventsQuery(db, "prj_x", "t", treeDetail(10)));
    expect(tree.join("\n")).toContain("USING INDEX sqlite_autoindex_events_1 (project_id=? AND trace_id=?)");
    for (const sql of [SUMMARY_UPSERT_SQL, SEARCH_INDEX_SQL, COST_ROLLUP_SQL, ...METRICS_ROLLUP_SQL, USAGE_TALLY_SQL]) {
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(...["[]", "b", 0].slice(0, sql.includes("?3") ? 3 : 2))
        .all<{ detail: string }>();
      const lines = results.map((r) => r.detail).join("\n");
      expect(lines, sql).toContain(
        "SEARCH e USING INDEX sqlite_autoindex_events_1 (project_id=? AND trace_id=? AND event_id=?)",
      );
    }
  });
});
