// The mapped spans of one export, validated together: the events to enqueue, and why the others were not taken.
import type { WireEventInput as WireEvent } from "../../contract/event.ts";
import type { StoredEvent } from "../../contract/queue.ts";
import { validateEvents } from "../ingest/validate.ts";
import type { MappedSpan } from "./map.ts";

/** Validates every span's events together; a span whose own event is invalid is rejected with its children. */
export function takeSpans(spans: MappedSpan[]) {
  const wire: WireEvent[] = [];
  const owner: number[] = [];
  const reasons: string[] = [];
  let rejectedSpans = 0;
  spans.forEach((span, i) => {
    if (span.problem) {
      rejectedSpans += 1;
      reasons.push(span.problem);
      return;
    }
    for (const event of span.events) {
      wire.push(event);
      owner.push(i);
    }
  });
  const { events, rejected } = validateEvents(wire, { built: true });
  const badIndex = new Set(rejected.map((r) => r.index));
  const badSpans = new Set<number>();
  let droppedChildren = 0;
  for (const r of rejected) {
    const own = spans[owner[r.index]!]!.events[0] === wire[r.index];
    if (own) {
      badSpans.add(owner[r.index]!);
      reasons.push(`span ${r.event_id}: ${r.message}`);
    } else droppedChildren += 1;
  }
  const accepted: StoredEvent[] = [];
  let next = 0;
  wire.forEach((_, index) => {
    if (badIndex.has(index)) return;
    const event = events[next++]!;
    if (!badSpans.has(owner[index]!)) accepted.push(event);
  });
  return { accepted, rejectedSpans: rejectedSpans + badSpans.size, reasons, droppedChildren };
}
