// A benchmark dataset written through WatchLLM's own write path (events, trace summaries, search index) into any
// D1-shaped database: `traces` ordinary traces of 10 events over 30 days, plus one 1,000- and one 10,000-span trace.
import { packMessages } from "../src/ingest/enqueue.ts";
import { validateEvents } from "../src/ingest/validate.ts";
import { writeMessages } from "../src/ingest/write.ts";
import { generateTrace, rng, type WireEvent } from "./generate.ts";

export const DATASET_START = 1_761_000_000_000;
const SPAN = 30 * 86_400_000;

export const bigTraceId = (spans: number) => `big-${spans}`;

export async function writeDataset(d1: D1Database, projectId: string, traces: number, onProgress?: (done: number) => void) {
  const rand = rng(7);
  const store = async (events: WireEvent[]) => {
    const stored = validateEvents(events).events;
    await writeMessages(d1, packMessages(projectId, stored, DATASET_START + SPAN).map((m) => m.body));
  };
  // The two big traces arrive in the middle of the stream, when they happen, like everything else.
  const bigTraces = async () => {
    for (const spans of [1_000, 10_000]) {
      const events = generateTrace(rand, 0, DATASET_START + SPAN / 2, spans).map((e) => ({
        ...e, trace_id: bigTraceId(spans), event_id: `${bigTraceId(spans)}-${e.event_id}`,
        parent_event_id: e.parent_event_id && `${bigTraceId(spans)}-${e.parent_event_id}`,
      }));
      for (let i = 0; i < events.length; i += 1_000) await store(events.slice(i, i + 1_000));
    }
  };
  let pending: WireEvent[] = [];
  for (let t = 0; t < traces; t++) {
    if (t === Math.floor(traces / 2)) await bigTraces();
    pending.push(...generateTrace(rand, t, DATASET_START + Math.floor((t / traces) * SPAN)));
    if (pending.length >= 10_000) {
      await store(pending);
      pending = [];
      onProgress?.(t + 1);
    }
  }
  if (pending.length) await store(pending);
}
