// The trace page's rows over the columns answer (ui/lib/trace-columns.ts): each row reads its own index of every
// column, and serialises as the event it shows.
import { describe, expect, it } from "vitest";
import type { TraceColumnsAnswer } from "../../contract/traces.ts";
import { eventsOf } from "../../ui/lib/trace-columns.ts";

const columns = {
  event_id: ["a", "b", "c"],
  parent_event_id: [null, "a", "a"],
  name: ["run", "plan", "answer"],
  duration_ms: [30, 10, null],
  depth: [0, 1, 1],
} as unknown as TraceColumnsAnswer["columns"];

describe("rows over a trace's columns", () => {
  it("read row i of every column", () => {
    const rows = eventsOf(columns);
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => [r.event_id, r.parent_event_id, r.name, r.duration_ms, r.depth])).toEqual([
      ["a", null, "run", 30, 0],
      ["b", "a", "plan", 10, 1],
      ["c", "a", "answer", null, 1],
    ]);
  });

  it("serialise as the event's fields (the inspector's raw JSON before the full event arrives)", () => {
    const [, plan] = eventsOf(columns);
    expect(JSON.parse(JSON.stringify(plan))).toEqual({
      event_id: "b",
      parent_event_id: "a",
      name: "plan",
      duration_ms: 10,
      depth: 1,
    });
  });

  it("keep apart the rows of two answers read one after the other", () => {
    const first = eventsOf(columns);
    const second = eventsOf({ ...columns, name: ["x", "y", "z"] });
    expect(first[2]!.name).toBe("answer");
    expect(second[2]!.name).toBe("z");
  });
});
