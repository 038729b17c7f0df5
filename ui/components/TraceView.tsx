// One trace's body, shared by its page in the project and by a public share link: totals, the collapsible span tree
// beside a zoomable waterfall, and the inspector for the selected event (its id in the URL as ?event=). Keys: ↑/↓ move,
// ←/→ collapse/expand, Enter opens, Escape closes the inspector.
import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { useEffect, useMemo } from "preact/hooks";
import { lazy } from "../lib/lazy.tsx";
import { offsetLabel } from "../lib/time-ticks.ts";
import type { TraceAnswer, TreeEvent } from "../lib/types.ts";
import { query, setQuery } from "../state/router.ts";
import type { EventPath } from "./Inspector.tsx";
import { Ruler } from "./Ruler.tsx";
import { TraceTotals } from "./TraceTotals.tsx";
import { TraceTree } from "./TraceTree.tsx";

// The inspector (bodies, the conversation view) loads when a span is first opened, not with the trace.
const Inspector = lazy(() => import("./Inspector.tsx").then((m) => m.Inspector));

/** The rows not hidden under a collapsed ancestor (the list is depth-first, so one pass does it). */
function visibleRows(events: TreeEvent[], collapsed: Set<string>) {
  if (!collapsed.size) return events;
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

export function TraceView({
  data,
  complete = true,
  project,
  eventPath,
  header,
  scoresOf,
}: {
  data: TraceAnswer;
  /** False while `data` holds only the tree's first rows (the rest still on its way). */
  complete?: boolean;
  /** The project the trace is read in (a share link has none: no links out, no project header). */
  project?: string;
  /** Where the inspector reads one event in full. */
  eventPath: (eventId: string) => EventPath;
  /** The page's title row. */
  header: ComponentChildren;
  /** The scores of the trace (null) or of one event, as the page shows them. */
  scoresOf: (eventId: string | null) => ComponentChildren;
}) {
  const collapsed = useSignal<Set<string>>(new Set());
  // The first row from the start (not set by an effect after the first paint: that re-rendered every row once more).
  const cursor = useSignal<string | null>(query.value.get("event") ?? data.events[0]?.event_id ?? null);
  const zoom = useSignal<[number, number] | null>(null);
  const open = query.value.get("event");
  const { trace, events, scores } = data;

  useEffect(() => {
    cursor.value ??= events[0]?.event_id ?? null;
  }, [data]);

  const rows = useMemo(() => visibleRows(events, collapsed.value), [events, collapsed.value]);
  const full: [number, number] = [trace.start_time, Math.max(trace.end_time, trace.start_time + 1)];
  const range = zoom.value ?? full;
  const selected = open ? events.find((e) => e.event_id === open) : undefined;

  const toggle = (id: string, to?: boolean) => {
    const next = new Set(collapsed.value);
    if (to ?? !next.has(id)) next.add(id);
    else next.delete(id);
    collapsed.value = next;
  };
  const close = () => setQuery({ event: null }, true);
  const pick = (id: string | null) => {
    cursor.value = id;
    setQuery({ event: id }, true);
  };
  const onKey = (e: KeyboardEvent) => {
    const index = rows.findIndex((r) => r.event_id === cursor.value);
    const row = rows[index];
    const move = (i: number) => {
      const row = rows[i];
      if (!row) return;
      cursor.value = row.event_id;
      if (open) setQuery({ event: row.event_id }, true);
    };
    if (e.key === "ArrowDown") move(Math.min(rows.length - 1, index + 1));
    else if (e.key === "ArrowUp") move(Math.max(0, index - 1));
    else if (e.key === "ArrowRight" && row?.child_count) toggle(row.event_id, false);
    else if (e.key === "ArrowLeft" && row) {
      if (row.child_count && !collapsed.value.has(row.event_id)) toggle(row.event_id, true);
      else move(rows.findIndex((r) => r.event_id === row.parent_event_id));
    } else if (e.key === "Enter" && row) pick(row.event_id);
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

  return (
    <section class="trace-page">
      {header}
      <TraceTotals project={project} trace={trace} events={complete ? events : undefined} />
      <div class="trace-scores">{scoresOf(null)}</div>
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
      {/* Escape closes the inspector from the tree or from inside it (a copy button, a selected text). */}
      {/* biome-ignore lint/a11y/noStaticElementInteractions: a key bubbling up from the tree or the inspector */}
      <div
        class={`trace-body${selected ? " with-inspector" : ""}`}
        onKeyDown={(e) => e.key === "Escape" && !(e.target as Element).closest("input,textarea,select") && close()}
      >
        <div class="tree" role="tree" tabIndex={0} aria-label="Span tree" onKeyDown={onKey}>
          <Ruler range={range} origin={full[0]} onZoom={(r) => (zoom.value = r)} />
          <TraceTree
            rows={rows}
            total={complete || collapsed.value.size ? rows.length : trace.span_count}
            collapsed={collapsed.value}
            cursor={cursor.value}
            range={range}
            onToggle={(id) => toggle(id)}
            onPick={pick}
            scored={scoredEvents(scores)}
          />
        </div>
        {selected && (
          <Inspector project={project} path={eventPath(selected.event_id)} event={selected} onClose={close}>
            {scoresOf(selected.event_id)}
          </Inspector>
        )}
      </div>
    </section>
  );
}
