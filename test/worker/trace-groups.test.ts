// GET /api/v1/sessions and /api/v1/users: totals per group, pages, and each group's traces in order.
import { beforeAll, describe, expect, it } from "vitest";
import { createProject, deliver, deliverScores, read } from "./fixtures.ts";

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
      scores: [],
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

describe("durations", () => {
  it("are the span's milliseconds to the microsecond, without the noise of subtracting epoch times", async () => {
    const own = await createProject("durations");
    const at = (event_id: string, offset: number, duration_ms: number) => ({
      event_id,
      trace_id: "t-frac",
      type: "span",
      name: event_id,
      timestamp: T0 + offset,
      duration_ms,
      context: { session_id: "s-frac", user_id: "u-frac" },
    });
    // Sent in two deliveries, so the second merges into the stored summary (the upsert's other arm).
    await deliver(own.projectId, [at("a", 0, 12.345)]);
    await deliver(own.projectId, [at("b", 55, 12.321)]);
    const trace = await read(`/api/v1/traces/t-frac`, own.secretKey);
    expect(trace.body.trace.duration_ms).toBe(67.321);
    const list = await read(`/api/v1/traces`, own.secretKey);
    expect(list.body.traces[0].duration_ms).toBe(67.321);
    const session = await read(`/api/v1/sessions/s-frac`, own.secretKey);
    expect(session.body.session.duration_ms).toBe(67.321);
    const fresh = await createProject("durations-one");
    await deliver(fresh.projectId, [at("c", 0, 67.321044921875)]);
    expect((await read(`/api/v1/traces/t-frac`, fresh.secretKey)).body.trace.duration_ms).toBe(67.321);
  });
});

describe("scores per row", () => {
  type Row = {
    session_id?: string;
    user_id?: string;
    scores: Array<{ name: string; count: number; avg: number | null }>;
  };
  let scored: Awaited<ReturnType<typeof createProject>>;
  const rows = (list: Row[], id: "session_id" | "user_id") => Object.fromEntries(list.map((r) => [r[id], r.scores]));

  beforeAll(async () => {
    scored = await createProject("group-scores");
    await deliver(
      scored.projectId,
      Array.from({ length: 9 }, (_, i) => trace(i)),
    );
    // Trace i: quality i/10 and, on even traces, a thumbs up (t0, t4, t8) or down (t2, t6); t1 and t7 an intent label.
    await deliverScores(scored.projectId, [
      ...Array.from({ length: 9 }, (_, i) => ({ trace_id: `t${i}`, name: "quality", value: i / 10 })),
      ...[0, 2, 4, 6, 8].map((i) => ({ trace_id: `t${i}`, name: "thumbs", value: i % 4 === 0 })),
      { trace_id: "t1", name: "intent", value: "billing" },
      { trace_id: "t7", name: "intent", value: "bug" },
    ]);
    // Another project's scores on the same trace ids count nowhere here.
    const other = await createProject("group-scores-other");
    await deliverScores(other.projectId, [{ trace_id: "t0", name: "quality", value: 100 }]);
  });

  it("gives each session and user the mean and count of every score name of its traces", async () => {
    const sessions = rows((await read(`/api/v1/sessions`, scored.secretKey)).body.sessions, "session_id");
    // s0: t0, t3, t6 · s1: t1, t4, t7 · s2: t2, t5, t8
    expect(sessions.s0).toEqual([
      { name: "quality", count: 3, avg: expect.closeTo(0.3, 9) },
      { name: "thumbs", count: 2, avg: 0.5 },
    ]);
    expect(sessions.s1).toEqual([
      { name: "intent", count: 2, avg: null },
      { name: "quality", count: 3, avg: expect.closeTo(0.4, 9) },
      { name: "thumbs", count: 1, avg: 1 },
    ]);
    expect(sessions.s2).toEqual([
      { name: "quality", count: 3, avg: expect.closeTo(0.5, 9) },
      { name: "thumbs", count: 2, avg: 0.5 },
    ]);
    const users = rows((await read(`/api/v1/users`, scored.secretKey)).body.users, "user_id");
    // u0: t0, t2, t4, t6, t8 · u1: t1, t3, t5, t7
    expect(users.u0).toEqual([
      { name: "quality", count: 5, avg: expect.closeTo(0.4, 9) },
      { name: "thumbs", count: 5, avg: expect.closeTo(0.6, 9) },
    ]);
    expect(users.u1).toEqual([
      { name: "intent", count: 2, avg: null },
      { name: "quality", count: 4, avg: expect.closeTo(0.4, 9) },
    ]);
  });

  it("shows only the chosen names, and only the listed range's traces", async () => {
    const chosen = rows(
      (await read(`/api/v1/sessions?score_names=thumbs,nothing`, scored.secretKey)).body.sessions,
      "session_id",
    );
    expect(chosen.s1).toEqual([{ name: "thumbs", count: 1, avg: 1 }]);
    // From t3 on: s0 has t3 and t6.
    const later = rows(
      (await read(`/api/v1/sessions?from=${T0 + 3000}`, scored.secretKey)).body.sessions,
      "session_id",
    );
    expect(later.s0).toEqual([
      { name: "quality", count: 2, avg: expect.closeTo(0.45, 9) },
      { name: "thumbs", count: 1, avg: 0 },
    ]);
  });
});
