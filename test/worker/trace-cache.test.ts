// Finished traces are served from the Cache API: a hit reads no events, a new event makes the cached answer
// unreachable, a trace still being written is never cached, `Cache-Control: no-cache` asks for a fresh answer, and a
// project never gets another project's entry for the same trace id.
import { describe, expect, it } from "vitest";
import { createProject, dataOf, deliver, makeEvent, read, waitFor } from "./fixtures.ts";

const T0 = 1_764_000_000_000;

/** Makes the trace look finished: its summary last changed more than the quiet period ago. */
async function age(projectId: string, traceId: string) {
  await (await dataOf(projectId))
    .prepare("UPDATE traces SET updated_at = updated_at - 120000 WHERE project_id = ? AND trace_id = ?")
    .bind(projectId, traceId)
    .run();
}

const tree = async (path: string, key: string, headers: Record<string, string> = {}) => {
  const res = await read<{ events: Array<{ name: string }> }>(path, key, headers);
  return { cache: res.headers.get("WatchLLM-Cache"), names: res.body.events.map((e) => e.name) };
};

describe("trace reads from the Cache API", () => {
  it("caches a finished trace per version and per project", async () => {
    const a = await createProject("cache a");
    const b = await createProject("cache b", a.shard);
    const root = makeEvent({ trace_id: "t-cached", name: "first", timestamp: T0 });
    await deliver(a.projectId, [root]);
    await deliver(b.projectId, [makeEvent({ trace_id: "t-cached", name: "other tenant", timestamp: T0 })]);

    // Still being written: never cached.
    expect((await tree("/api/v1/traces/t-cached", a.secretKey)).cache).toBe("BYPASS");

    await age(a.projectId, "t-cached");
    await age(b.projectId, "t-cached");
    expect(await tree("/api/v1/traces/t-cached", a.secretKey)).toEqual({ cache: "MISS", names: ["first"] });
    await waitFor(
      () => tree("/api/v1/traces/t-cached", a.secretKey),
      (t) => t.cache === "HIT",
    );
    expect(await tree("/api/v1/traces/t-cached", a.secretKey)).toEqual({ cache: "HIT", names: ["first"] });
    // The other project's trace of the same id is its own.
    expect((await tree("/api/v1/traces/t-cached", b.secretKey)).names).toEqual(["other tenant"]);
    // Asked for a fresh answer, it reads D1.
    expect((await tree("/api/v1/traces/t-cached", a.secretKey, { "Cache-Control": "no-cache" })).cache).toBe("MISS");

    // A late event changes the version: the old entry is never served again.
    await deliver(a.projectId, [makeEvent({ trace_id: "t-cached", parent_event_id: root.event_id, name: "late" })]);
    const after = await tree("/api/v1/traces/t-cached", a.secretKey);
    expect(after.names).toEqual(["first", "late"]);
    expect(after.cache).toBe("BYPASS");
  });
});
