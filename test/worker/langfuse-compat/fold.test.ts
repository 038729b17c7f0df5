// The fold of an event's parts, for what the read API can't show yet (first_token_ms is stored by the monitoring work)
// and for the edges that would otherwise make a fold invalid forever (and its items lost after a 201).
import { describe, expect, it } from "vitest";
import { foldParts } from "../../../src/ingest/fold.ts";

const part = (fields: Record<string, unknown>) => ({ event_id: "g", trace_id: "t", fields: JSON.stringify(fields) });

describe("folding Langfuse parts", () => {
  it("turns completionStartTime into first_token_ms, from whichever part brings the start", () => {
    const folded = foldParts([
      part({ type: "model_response", timestamp: "2026-03-01T10:00:00.000Z" }),
      part({ first_token_at: "2026-03-01T10:00:00.250Z", end: "2026-03-01T10:00:01.000Z" }),
    ]);
    expect(folded).toMatchObject({ first_token_ms: 250, duration_ms: 1000 });
  });

  it("unions tags and merges metadata and langfuse fields key by key", () => {
    const folded = foldParts([
      part({ context: { tags: ["a", "b"] }, body: { metadata: { x: 1 }, langfuse: { version: "1" } } }),
      part({ context: { tags: ["b", "c"] }, body: { metadata: { y: 2 }, langfuse: { level: "WARNING" } } }),
    ]);
    expect(folded.context).toEqual({ tags: ["a", "b", "c"] });
    expect(folded.body).toEqual({ metadata: { x: 1, y: 2 }, langfuse: { version: "1", level: "WARNING" } });
  });

  it("uses an update's fallback type and time only when no create sets them", () => {
    const alone = foldParts([part({ fallback: { type: "span", timestamp: 1_800_000_000_000 }, output: "x" })]);
    expect(alone).toMatchObject({ type: "span", timestamp: 1_800_000_000_000 });
    const withCreate = foldParts([
      part({ type: "model_response", timestamp: 1_700_000_000_000 }),
      part({ fallback: { type: "span", timestamp: 1_800_000_000_000 } }),
    ]);
    expect(withCreate).toMatchObject({ type: "model_response", timestamp: 1_700_000_000_000 });
  });

  it("takes the trace from the last part that names one", () => {
    expect(foldParts([part({ trace_id: "from-create" }), part({})]).trace_id).toBe("from-create");
    expect(foldParts([part({})]).trace_id).toBe("t");
  });

  it("leaves out a duration or first-token time over 30 days instead of an invalid event", () => {
    const folded = foldParts([part({ timestamp: 0, end: 40 * 86_400_000, first_token_at: 31 * 86_400_000 })]);
    expect(folded.duration_ms).toBeUndefined();
    expect(folded.first_token_ms).toBeUndefined();
  });
});
