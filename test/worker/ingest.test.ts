import { describe, expect, it } from "vitest";
import { createProject, makeEvent, postEvents, storedEvents, waitFor } from "./fixtures.ts";

describe("POST /api/v1/events", () => {
  it("accepts a batch with 202 and the queue consumer stores it in D1", async () => {
    const p = await createProject();
    const events = [makeEvent(), makeEvent({ type: "log", body: { message: "hi" } })];
    const res = await postEvents({ events }, { key: p.ingestKey });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 2, rejected: [] });
    const rows = await waitFor(() => storedEvents(p.projectId), (r) => r.length === 2);
    expect(rows.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.event_id).sort());
    expect(JSON.parse(rows.find((r) => r.type === "log")!.body as string)).toEqual({ message: "hi" });
  });
});
