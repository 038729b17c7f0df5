// The span tree beside its waterfall, virtualized: fixed-height rows, only the visible ones (plus overscan) rendered,
// so a 10,000-span trace scrolls like a 10-span one.
import { useSignal } from "@preact/signals";
import { useEffect, useLayoutEffect, useRef } from "preact/hooks";
import { failureOf } from "../lib/failure.ts";
import { duration } from "../lib/format.ts";
import { streamInfo } from "../lib/stream.ts";
import { type TreeEvent, TYPE_STYLE } from "../lib/types.ts";

const ROW_HEIGHT = 28;
/** Rows rendered beyond each edge: enough for a wheel step, few enough that a jump renders little more than a screen. */
const OVERSCAN = 6;
/** Width of a duration label in px, per character (0.72rem text) and padding. */
const CHAR_PX = 6.6;
const LABEL_PAD_PX = 10;
/** The lane's share of a row (`minmax(120px, 45%)`) and the page's padding beside the tree: the first guess. */
const LANE_SHARE = 0.45;
const PAGE_PAD_PX = 32;

/**
 * Where a bar's duration label goes: after the bar when it fits there, else before it, else inside it (on a panel
 * coloured chip, so it stays readable on any bar colour in either theme). `start` and `end` are fractions of the
 * lane, `lane` its width in px.
 */
function labelPlace(start: number, end: number, lane: number, text: string) {
  const need = text.length * CHAR_PX + LABEL_PAD_PX;
  const pct = (f: number) => `${(f * 100).toFixed(3)}%`;
  if (lane * (1 - end) >= need) return { side: "after", style: { left: `calc(${pct(end)} + 4px)` } };
  if (lane * start >= need) return { side: "before", style: { right: `calc(${pct(1 - start)} + 4px)` } };
  // Inside the bar, at its start: the bar's end stays visible.
  return { side: "inside", style: { left: `calc(${pct(start)} + 3px)` } };
}

/** `stream` with the first-token time when known, for streamed model calls. */
function streamBadge(e: TreeEvent) {
  const { streamed, firstTokenMs } = streamInfo(e, e.body);
  if (!streamed) return null;
  return (
    <span class="badge stream" title="Streamed; time to the first token">
      stream{firstTokenMs !== undefined ? ` · ${duration(firstTokenMs)}` : ""}
    </span>
  );
}

type Props = {
  rows: TreeEvent[];
  /** Rows the tree will hold: more than `rows` while only a big trace's first rows are here (its height is kept). */
  total?: number;
  collapsed: Set<string>;
  cursor: string | null;
  range: [number, number];
  onToggle: (id: string) => void;
  onPick: (id: string) => void;
  /** Events with scores, and how many each has (marked in the tree). */
  scored?: Map<string, number>;
};

export function TraceTree({ rows, total = rows.length, collapsed, cursor, range, onToggle, onPick, scored }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const scrollTop = useSignal(0);
  // Guessed before the first render, then measured before the first paint: the box's height (600 px, a window's worth
  // of rows) and the lane's share of a tree as wide as the window (styles/waterfall.css), in whole pixels as the
  // measure reads it. When the measure finds the guess, the rows are built, styled and laid out once, not twice.
  const height = useSignal(600);
  const lane = useSignal(Math.max(120, Math.floor(LANE_SHARE * (innerWidth - PAGE_PAD_PX))));
  useLayoutEffect(() => {
    const el = box.current!;
    let seen: number | undefined;
    const measure = () => {
      // A box shorter than guessed drops no rows until it changes size (a few more rows of overscan rather than a
      // second render, style and layout before the first paint): the observer's first call, with the size measured
      // here, changes nothing. Later sizes are followed.
      const h = el.clientHeight || 600;
      if (h !== seen) height.value = seen === undefined ? Math.max(height.value, h) : h;
      seen = h;
      lane.value = el.querySelector(".lane")?.clientWidth ?? 0;
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  // Keep the keyboard cursor in view: when it moves, and when its row first arrives (a deep link's `?event=` into a big
  // trace names a row the first screen's head doesn't hold; the whole tree comes after).
  const shown = useRef<string | null>(null);
  useEffect(() => {
    const index = rows.findIndex((r) => r.event_id === cursor);
    const el = box.current;
    if (index < 0 || !el || shown.current === cursor) return;
    shown.current = cursor;
    const top = index * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  }, [cursor, rows]);

  const first = Math.max(0, Math.floor(scrollTop.value / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop.value + height.value) / ROW_HEIGHT) + OVERSCAN);
  const [from, to] = range;
  const span = Math.max(1e-6, to - from);
  const frac = (ms: number) => Math.min(1, Math.max(0, (ms - from) / span));

  return (
    <div
      class="tree-scroll"
      ref={box}
      onScroll={(e) => (scrollTop.value = (e.target as HTMLElement).scrollTop)}
      data-testid="tree"
      aria-busy={total > rows.length}
    >
      <div style={{ height: `${total * ROW_HEIGHT}px`, position: "relative" }}>
        {rows.slice(first, last).map((e, i) => {
          const end = e.timestamp + (e.duration_ms ?? 0);
          const visible = end >= from && e.timestamp <= to;
          const failure = failureOf(e);
          const label = e.duration_ms === null ? null : duration(e.duration_ms);
          const start = frac(e.timestamp);
          // A bar is at least 2 px wide, so an instant still shows.
          const stop = Math.max(frac(end), lane.value ? start + 2 / lane.value : start);
          const place = label && visible && lane.value ? labelPlace(start, stop, lane.value, label) : null;
          return (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the tree handles the keyboard (↑ ↓ ← → Enter) for its rows
            <div
              key={e.event_id}
              role="treeitem"
              tabIndex={-1}
              aria-level={e.depth + 1}
              aria-selected={e.event_id === cursor}
              aria-expanded={e.child_count ? !collapsed.has(e.event_id) : undefined}
              class={`row t-${e.type}${e.status === "error" ? " failed" : ""}${e.event_id === cursor ? " cursor" : ""}`}
              style={{ top: `${(first + i) * ROW_HEIGHT}px` }}
              title={
                e.status === "error" || e.type === "error" ? `${e.name} failed: ${failure ?? "no message"}` : undefined
              }
              data-event={e.event_id}
              data-type={e.type}
              data-depth={e.depth}
              onClick={() => onPick(e.event_id)}
            >
              {/* The indent stops at 40% of the column, so the deepest rows keep their names. */}
              <div class="label" style={{ paddingLeft: `min(${e.depth * 14 + 4}px, 40%)` }}>
                {e.child_count ? (
                  <button
                    type="button"
                    class="twist"
                    tabIndex={-1}
                    aria-label={collapsed.has(e.event_id) ? "Expand" : "Collapse"}
                    onClick={(ev) => {
                      ev.stopPropagation();
                      onToggle(e.event_id);
                    }}
                  >
                    {collapsed.has(e.event_id) ? "▸" : "▾"}
                  </button>
                ) : (
                  <span class="twist" />
                )}
                <span class="glyph" title={TYPE_STYLE[e.type].label}>
                  {TYPE_STYLE[e.type].glyph}
                </span>
                <span class="name">{e.name}</span>
                {e.model && <span class="badge">{e.model}</span>}
                {streamBadge(e)}
                {scored?.has(e.event_id) && (
                  <span class="badge scored" title={`${scored.get(e.event_id)} score(s)`} data-testid="scored">
                    ★ {scored.get(e.event_id)}
                  </span>
                )}
                {e.orphan && (
                  <span class="badge warn" title="Its parent never arrived">
                    orphan
                  </span>
                )}
                {e.cycle && (
                  <span class="badge warn" title="Its parents formed a cycle; cut here">
                    cycle
                  </span>
                )}
              </div>
              <div class="lane" aria-hidden="true">
                {visible && (
                  <span
                    class="bar"
                    style={{ left: `${start * 100}%`, width: `max(2px, ${(frac(end) - start) * 100}%)` }}
                  />
                )}
                {place && (
                  <span class={`ms ${place.side}`} style={place.style}>
                    {label}
                  </span>
                )}
                {label && !visible && <span class="ms off">{label}</span>}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
