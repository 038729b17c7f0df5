// One trace: totals, the collapsible span tree beside a zoomable waterfall, and the inspector for the selected event
// (its id in the URL as ?event=). Keys: ↑/↓ move, ←/→ collapse/expand, Enter opens, Escape closes the inspector.
import { useSignal } from "@preact/signals";
import { useEffect, useMemo } from "preact/hooks";
import type { ScoreConfigListAnswer } from "../../contract/scores.ts";
import { DeleteData } from "../components/DeleteData.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { Inspector } from "../components/Inspector.tsx";
import { Link } from "../components/Link.tsx";
import { Ruler } from "../components/Ruler.tsx";
import { Scores } from "../components/Scores.tsx";
import { TraceTotals } from "../components/TraceTotals.tsx";
import { TraceTree } from "../components/TraceTree.tsx";
import { offsetLabel } from "../lib/ticks.ts";
import { traceOf } from "../lib/trace-columns.ts";
import type { TraceAnswer, TraceColumnsAnswer, TreeEvent } from "../lib/types.ts";
import { useApi } from "../lib/use-api.ts";
import { query, setQuery } from "../state/router.ts";
import { tracePath } from "../state/trace-fetch.ts";

/** The rows not hidden under a collapsed ancestor (the list is depth-first, so one pass does it). */
function visibleRows(events: TreeEvent[], collapsed: Set<string>) {
  const out: TreeEvent[] = [];
  let hideBelow = Infinity;
  for (const e of events) {
    if (e.depth > hideBelow) continue;
    hideBelow = Infinity;
    out.push(e);
    if (collapsed.has(e.event_id)) hideBelow = e.depth;
  }
  return out;
}

/** How many scores each event has (the trace's own scores are not an event's). */
function scoredEvents(scores: TraceAnswer["scores"]) {
  const out = new Map<string, number>();
  for (const s of scores) if (s.event_id) out.set(s.event_id, (out.get(s.event_id) ?? 0) + 1);
  return out;
}

export function Trace({ project, traceId }: { project: string; traceId: string }) {
  const read = useApi<TraceColumnsAnswer>(tracePath(traceId), { project });
  const answer = useMemo(() => read.data.value && traceOf(read.data.value), [read.data.value]);
  const configs = useApi<ScoreConfigListAnswer>(`/api/projects/${encodeURIComponent(project)}/score-configs`);
  const collapsed = useSignal<Set<string>>(new Set());
  const cursor = useSignal<string | null>(query.value.get("event"));
  const zoom = useSignal<[number, number] | null>(null);
  const open = query.value.get("event");

  useEffect(() => {
    cursor.value ??= answer?.events[0]?.event_id ?? null;
  }, [answer]);

  const rows = useMemo(() => (answer ? visibleRows(answer.events, collapsed.value) : []), [answer, collapsed.value]);
  if (read.error.value) return <ErrorNote error={read.error} />;
  if (!answer)
    return (
      <p class="muted" aria-busy="true">
        Loading trace…
      </p>
    );
  const { trace, events, scores } = answer;
  const scoreConfigs = configs.data.value?.configs ?? [];
  const full: [number, number] = [trace.start_time, Math.max(trace.end_time, trace.start_time + 1)];
  const range = zoom.value ?? full;
  const selected = events.find((e) => e.event_id === open);

  const toggle = (id: string, to?: boolean) => {
    const next = new Set(collapsed.value);
    if (to ?? !next.has(id)) next.add(id);
    else next.delete(id);
    collapsed.value = next;
  };
  const pick = (id: string | null) => {
    cursor.value = id;
    setQuery({ event: id });
  };
  const onKey = (e: KeyboardEvent) => {
    const index = rows.findIndex((r) => r.event_id === cursor.value);
    const row = rows[index];
    const move = (i: number) => {
      const row = rows[i];
      if (!row) return;
      cursor.value = row.event_id;
      if (open) setQuery({ event: row.event_id });
    };
    if (e.key === "ArrowDown") move(Math.min(rows.length - 1, index + 1));
    else if (e.key === "ArrowUp") move(Math.max(0, index - 1));
    else if (e.key === "ArrowRight" && row?.child_count) toggle(row.event_id, false);
    else if (e.key === "ArrowLeft" && row) {
      if (row.child_count && !collapsed.value.has(row.event_id)) toggle(row.event_id, true);
      else move(rows.findIndex((r) => r.event_id === row.parent_event_id));
    } else if (e.key === "Enter" && row) pick(row.event_id);
    else if (e.key === "Escape") setQuery({ event: null });
    else return;
    e.preventDefault();
  };
  const zoomBy = (factor: number) => {
    const [a, b] = range;
    const mid = (a + b) / 2;
    // Down to 10 µs across: the axis labels µs.
    const half = Math.max(0.005, ((b - a) * factor) / 2);
    zoom.value =
      factor >= 1 && half * 2 >= full[1] - full[0]
        ? null
        : [Math.max(full[0], mid - half), Math.min(full[1], mid + half)];
  };
  const exportHref = (format: string) =>
    `/api/v1/traces/${encodeURIComponent(traceId)}/export?format=${format}&project_id=${encodeURIComponent(project)}`;

  return (
    <section class="trace-page">
      <header class="page-head">
        <h1>
          <Link href={`/p/${project}/traces`} class="crumb">
            Traces
          </Link>
          <span class="crumb-sep" aria-hidden="true">
            /
          </span>
          <span class={`dot ${trace.status}`} role="img" aria-label={trace.status} />
          <span title={trace.trace_id}>{trace.name}</span>
        </h1>
        <div class="actions">
          <a class="button" href={exportHref("json")} download>
            Export JSON
          </a>
          <a class="button" href={exportHref("har")} download>
            Export HAR
          </a>
          <DeleteData
            project={project}
            path={`/api/v1/traces/${encodeURIComponent(traceId)}`}
            label="trace"
            what={`the trace "${trace.name}" with all ${trace.span_count} events and their bodies`}
            back={`/p/${project}/traces`}
          />
        </div>
      </header>
      <TraceTotals project={project} trace={trace} events={events} />
      <div class="trace-scores">
        <Scores
          project={project}
          traceId={traceId}
          eventId={null}
          scores={scores.filter((s) => s.event_id === null)}
          configs={scoreConfigs}
          onChange={read.reload}
        />
      </div>
      <div class="zoombar">
        <span class="muted">
          Timeline {offsetLabel(range[0] - full[0], (range[1] - range[0]) / 10, range[1] - full[0])} –{" "}
          {offsetLabel(range[1] - full[0], (range[1] - range[0]) / 10)}
        </span>
        <button type="button" onClick={() => zoomBy(0.5)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoomBy(2)} aria-label="Zoom out">
          −
        </button>
        {cursor.value &&
          (() => {
            const e = events.find((x) => x.event_id === cursor.value);
            return e?.duration_ms ? (
              <button type="button" onClick={() => (zoom.value = [e.timestamp, e.timestamp + e.duration_ms!])}>
                Zoom to span
              </button>
            ) : null;
          })()}
        {zoom.value && (
          <button type="button" class="link" onClick={() => (zoom.value = null)}>
            Reset
          </button>
        )}
      </div>
      <div class={`trace-body${selected ? " with-inspector" : ""}`}>
        <div class="tree" role="tree" tabIndex={0} aria-label="Span tree" onKeyDown={onKey}>
          <Ruler range={range} origin={full[0]} onZoom={(r) => (zoom.value = r)} />
          <TraceTree
            rows={rows}
            collapsed={collapsed.value}
            cursor={cursor.value}
            range={range}
            onToggle={(id) => toggle(id)}
            onPick={pick}
            scored={scoredEvents(scores)}
          />
        </div>
        {selected && (
          <Inspector project={project} traceId={traceId} event={selected} onClose={() => setQuery({ event: null })}>
            <Scores
              project={project}
              traceId={traceId}
              eventId={selected.event_id}
              scores={scores.filter((s) => s.event_id === selected.event_id)}
              configs={scoreConfigs}
              onChange={read.reload}
            />
          </Inspector>
        )}
      </div>
    </section>
  );
}
