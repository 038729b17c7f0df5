// The model calls a cost recompute re-prices (a project's data database), paged by the events' key: each page reads
// the next `scan` events of the project by (project_id, trace_id, event_id), its primary key, and answers the calls among them
// in the range whose cost the client did not set. A step's rows read are bounded by `scan` whatever the range, and no
// index by time is needed (docs/SCALING.md §2.5).

export type RepriceRow = {
  rowid: number;
  event_id: string;
  trace_id: string;
  type: string;
  model: string | null;
  provider: string | null;
  ts: number;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_input_tokens: number | null;
  cache_write_tokens: number | null;
  cost_usd: number | null;
  cost_source: string | null;
};

/** ?1 project, ?2 ?3 the last trace_id and event_id of the previous page ('' at first), ?4 events per page, ?5 from, ?6 to. */
const PAGE_SQL = `SELECT * FROM (SELECT rowid AS rowid, event_id, trace_id, type, model, provider, ts, input_tokens,
    output_tokens, cached_input_tokens, cache_write_tokens, cost_usd, cost_source,
    (ts >= ?5 AND ts < ?6 AND type = 'model_response' AND (cost_source IS NULL OR cost_source <> 'client')) AS due
  FROM events WHERE project_id = ?1 AND (trace_id, event_id) > (?2, ?3) ORDER BY trace_id, event_id LIMIT ?4)`;

/** The next page: the calls to re-price among the next `scan` events after `after`, and the page's last key. */
export async function callsToReprice(
  d1: D1Database,
  projectId: string,
  range: { from: number; to: number },
  after: [trace: string, event: string] | undefined,
  scan: number,
): Promise<{ calls: RepriceRow[]; last: [trace: string, event: string] | null; full: boolean }> {
  const { results } = await d1
    .prepare(PAGE_SQL)
    .bind(projectId, after?.[0] ?? "", after?.[1] ?? "", scan, range.from, range.to)
    .all<RepriceRow & { due: number }>();
  const last = results.at(-1);
  return {
    calls: results.filter((r) => r.due),
    last: last ? [last.trace_id, last.event_id] : null,
    full: results.length === scan,
  };
}
