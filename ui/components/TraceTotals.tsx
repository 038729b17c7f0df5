// A trace's totals under its title: duration, spans, tokens, cost (unpriced model calls said as such), errors, start,
// user and session.
import { duration, partialCost, time, tokens } from "../lib/format.ts";
import type { TraceSummary, TreeEvent } from "../lib/types.ts";
import { Link } from "./Link.tsx";

/** `project`: where the user and session link to (a share link has none: they are plain text). */
export function TraceTotals({
  project,
  trace,
  events,
}: {
  project?: string;
  trace: TraceSummary;
  /** Every event (undefined while only the first rows are here: the cost is then shown without its unpriced calls). */
  events?: TreeEvent[];
}) {
  // One pass, nothing allocated: a 10,000-span trace renders its totals before its first rows.
  // Without the events: model calls if the trace names a model, none unpriced (said once every event is here).
  let calls = events ? 0 : trace.models.length;
  let unpriced = 0;
  for (const e of events ?? [])
    if (e.type === "model_response") {
      calls++;
      if (e.cost_usd === null) unpriced++;
    }
  return (
    <dl class="totals" data-testid="totals">
      <div>
        <dt>Duration</dt>
        <dd>{duration(trace.duration_ms)}</dd>
      </div>
      <div>
        <dt>Spans</dt>
        <dd>{trace.span_count}</dd>
      </div>
      <div>
        <dt>Tokens</dt>
        <dd>{tokens(trace.total_tokens)}</dd>
      </div>
      <div>
        <dt>Cost</dt>
        <dd>{calls ? partialCost(trace.total_cost, unpriced, calls) : "—"}</dd>
      </div>
      <div>
        <dt>Errors</dt>
        <dd class={trace.error_count ? "error" : ""}>{trace.error_count}</dd>
      </div>
      <div>
        <dt>Started</dt>
        <dd>{time(trace.start_time)}</dd>
      </div>
      {trace.user_id && (
        <div class="id">
          <dt>User</dt>
          <dd title={trace.user_id}>
            {project ? (
              <Link href={`/p/${project}/users/${encodeURIComponent(trace.user_id)}`}>{trace.user_id}</Link>
            ) : (
              trace.user_id
            )}
          </dd>
        </div>
      )}
      {trace.session_id && (
        <div class="id">
          <dt>Session</dt>
          <dd title={trace.session_id}>
            {project ? (
              <Link href={`/p/${project}/sessions/${encodeURIComponent(trace.session_id)}`}>{trace.session_id}</Link>
            ) : (
              trace.session_id
            )}
          </dd>
        </div>
      )}
    </dl>
  );
}
