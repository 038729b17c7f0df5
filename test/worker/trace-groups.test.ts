// GET /api/v1/sessions and /api/v1/users: totals per group, pages, and each group's traces in order.
import { beforeAll, describe, expect, it } from "vitest";
import { createProject, deliver, read } from "./fixtures.ts";

const T0 = 1_764_000_000_000;
let project: Awaited<ReturnType<typeof createProject>>;

/** Trace i of user u{i%2}, session s{i%3}, 100 tokens and $0.01 each; trace 4 fails. */
const trace = (i: number) => ({
  event_id: `e${i}`,
  trace_id: `t${i}`,
  type: "model_response",
  name: "chat",
  model: "gpt-4o",
  timestamp: T0 + i * 1000,
  duration_ms: 500,
  usage: { input_tokens: 80, output_tokens: 20 },
  cost_usd: 0.01,
  status: i === 4 ? "error" : "ok",
  context: { user_id: `u${i % 2}`, session_id: `s${i % 3}` },
});

beforeAll(async () => {
  project = await createProject("groups");
  await deliver(project.projectId, [
    ...Array.from({ length: 9 }, (_, i) => trace(i)),
    { ...trace(20), event_id: "anon", trace_id: "anon", context: null },
  ]);
});

describe("sessions", () => {
  it("lists sessions by last activity with totals, in pages", async () => {
    const first = await read(`/api/v1/sessions?limit=2`, project.secretKey);
    expect(first.body.sessions.map((s: { session_id: string }) => s.session_id)).toEqual(["s2", "s1"]);
    expect(first.body.sessions[0]).toEqual({
      session_id: "s2",
      user_id: "u1",
      trace_count: 3,
      first_seen: T0 + 2000,
      last_seen: T0 + 8500,
      duration_ms: 6500,
      total_tokens: 300,
      total_cost: expect.closeTo(0.03, 9),
      error_count: 0,
    });
    const second = await read(`/api/v1/sessions?limit=2&cursor=${first.body.next_cursor}`, project.secretKey);
    expect(second.body).toMatchObject({ sessions: [{ session_id: "s0", trace_count: 3 }], next_cursor: null });
    const byUser = await read(`/api/v1/sessions?user_id=u0`, project.secretKey);
    expect(
      byUser.body.sessions.map((s: { session_id: string; trace_count: number }) => [s.session_id, s.trace_count]),
    ).toEqual([
      ["s2", 2],
      ["s0", 2],
      ["s1", 1],
    ]);
  });

  it("shows one session's traces oldest first", async () => {
    const { body } = await read(`/api/v1/sessions/s1`, project.secretKey);
    expect(body.session).toMatchObject({ session_id: "s1", trace_count: 3, error_count: 1 });
    expect(body.traces.map((t: { trace_id: string }) => t.trace_id)).toEqual(["t1", "t4", "t7"]);
    expect((await read(`/api/v1/sessions/nope`, project.secretKey)).status).toBe(404);
  });
});

describe("users", () => {
  it("lists users with session counts and last seen", async () => {
    const { body } = await read(`/api/v1/users`, project.secretKey);
    expect(body.users).toEqual([
      expect.objectContaining({
        user_id: "u0",
        trace_count: 5,
        session_count: 3,
        last_seen: T0 + 8500,
        total_tokens: 500,
      }),
      expect.objectContaining({ user_id: "u1", trace_count: 4, session_count: 3, last_seen: T0 + 7500 }),
    ]);
    expect(body.next_cursor).toBeNull();
  });

  it("shows one user's traces newest first, paged", async () => {
    const first = await read(`/api/v1/users/u1?limit=3`, project.secretKey);
    expect(first.body.user).toMatchObject({ user_id: "u1", trace_count: 4 });
    expect(first.body.traces.map((t: { trace_id: string }) => t.trace_id)).toEqual(["t7", "t5", "t3"]);
    const rest = await read(`/api/v1/users/u1?limit=3&cursor=${first.body.next_cursor}`, project.secretKey);
    expect(rest.body.traces.map((t: { trace_id: string }) => t.trace_id)).toEqual(["t1"]);
    expect((await read(`/api/v1/users/nobody`, project.secretKey)).status).toBe(404);
  });
});
