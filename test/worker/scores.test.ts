// Scores end to end on the real Worker, queue and D1: POST /api/v1/scores through the consumer, idempotency and
// out-of-order arrival, the ingest key's limits, score configs, annotations by members, the reads (trace answer, list,
// summary, trace-list filter and columns, exports), deletion, and isolation between projects.
import { createExecutionContext, createMessageBatch, env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ScoreIngestAnswer, ScoreListAnswer, ScoreSummaryAnswer, ScoreView } from "../../contract/scores.ts";
import type { TraceAnswer, TraceExport, TraceListAnswer } from "../../contract/traces.ts";
import worker from "../../src/index.ts";
import { DAY_MS } from "../../src/lib/time.ts";
import { expireProject } from "../../src/maintenance/retention.ts";
import { type ScoreAuthor, validateScores } from "../../src/scores/validate.ts";
import { join, signUp } from "./account-fixtures.ts";
import { createProject, deliver, makeEvent, read, waitFor } from "./fixtures.ts";

const T0 = 1_764_000_000_000;

function postScores(body: unknown, key?: string) {
  return SELF.fetch("https://watchllm.test/api/v1/scores", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(key && { Authorization: `Bearer ${key}` }) },
    body: JSON.stringify(body),
  });
}

async function accepted(body: unknown, key: string) {
  const res = await postScores(body, key);
  expect(res.status).toBe(202);
  return (await res.json()) as ScoreIngestAnswer;
}

/** Hands scores straight to the real consumer, in this order, one delivery each. */
async function deliverScores(projectId: string, wire: unknown[], author: ScoreAuthor) {
  for (const item of wire) {
    const { scores, rejected } = await validateScores([item], author, []);
    expect(rejected).toEqual([]);
    const batch = createMessageBatch("watchllm-events", [
      {
        id: crypto.randomUUID(),
        timestamp: new Date(),
        attempts: 1,
        body: { project_id: projectId, received_at: Date.now(), events: [], scores },
      },
    ]);
    await worker.queue(batch, env, createExecutionContext());
  }
}

const listScores = (query: string, key: string) => read<ScoreListAnswer>(`/api/v1/scores?${query}`, key);
const scoresOf = async (trace: string, key: string) => (await listScores(`trace_id=${trace}`, key)).body.scores;
const waitScores = (trace: string, key: string, n: number) =>
  waitFor(
    () => scoresOf(trace, key),
    (s) => s.length >= n,
  );

/** A trace of a root span and a model call. */
async function seedTrace(projectId: string, trace: string, user = "end-user-1") {
  const root = makeEvent({ trace_id: trace, name: "agent", timestamp: T0, context: { user_id: user } });
  const call = makeEvent({
    trace_id: trace,
    parent_event_id: root.event_id,
    type: "model_response",
    model: "gpt-4o",
    timestamp: T0 + 5,
    context: { user_id: user },
  });
  await deliver(projectId, [root, call]);
  return { root: root.event_id, call: call.event_id };
}

describe("POST /api/v1/scores", () => {
  it("stores a score that arrives before its trace, and shows it on the trace once the trace exists", async () => {
    const p = await createProject();
    const body = await accepted(
      {
        scores: [
          { score_id: "s-early", trace_id: "t-early", event_id: "e-call", name: "quality", value: 0.8, comment: "ok" },
          { trace_id: "t-early", name: "helpful", value: true },
          { trace_id: "t-early", name: "tone", value: "friendly", timestamp: T0 },
        ],
      },
      p.secretKey,
    );
    expect(body).toEqual({ accepted: 3, rejected: [] });
    const stored = await waitScores("t-early", p.secretKey, 3);
    expect(stored.map((s) => [s.name, s.value, s.kind, s.source, s.author_kind])).toEqual(
      expect.arrayContaining([
        ["quality", 0.8, "numeric", "api", "secret"],
        ["helpful", true, "boolean", "api", "secret"],
        ["tone", "friendly", "categorical", "api", "secret"],
      ]),
    );
    expect((await read(`/api/v1/traces/t-early`, p.secretKey)).status).toBe(404);
    await deliver(p.projectId, [makeEvent({ event_id: "e-call", trace_id: "t-early", type: "model_response" })]);
    const trace = await read<TraceAnswer>("/api/v1/traces/t-early", p.secretKey);
    expect(trace.status).toBe(200);
    expect(trace.body.scores).toHaveLength(3);
    expect(trace.body.scores.find((s) => s.score_id === "s-early")).toMatchObject({
      event_id: "e-call",
      comment: "ok",
    });
  });

  it("keeps one score per id: the latest timestamp wins, whatever order the copies arrive in", async () => {
    const p = await createProject();
    const author: ScoreAuthor = { kind: "secret", id: "k" };
    const copy = (value: number, at: number) => ({ score_id: "s-1", trace_id: "t-1", name: "q", value, timestamp: at });
    await deliverScores(p.projectId, [copy(2, T0 + 2000), copy(1, T0 + 1000), copy(2, T0 + 2000)], author);
    const [only, ...rest] = await scoresOf("t-1", p.secretKey);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ value: 2, timestamp: T0 + 2000 });
    await deliverScores(p.projectId, [copy(3, T0 + 3000)], author);
    expect((await scoresOf("t-1", p.secretKey))[0]).toMatchObject({ value: 3 });
  });

  it("derives the id of a score sent without one, so a resend replaces rather than repeats", async () => {
    const p = await createProject();
    const thumbs = (value: boolean, at: number) => ({
      trace_id: "t-d",
      name: "thumbs",
      value,
      timestamp: at,
      context: { user_id: "u-1" },
    });
    await deliverScores(p.projectId, [thumbs(true, T0), thumbs(false, T0 + 1)], { kind: "ingest", id: "k" });
    const stored = await scoresOf("t-d", p.secretKey);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ value: false, source: "feedback", user_id: "u-1" });
  });

  it("rejects bad scores beside the accepted ones, with the reason", async () => {
    const p = await createProject();
    const body = await accepted(
      {
        scores: [
          { trace_id: "t-bad", name: "fine", value: 1 },
          { trace_id: "t-bad", name: "x".repeat(201), value: 1 },
          { trace_id: "t-bad", name: "obj", value: { a: 1 } },
          { trace_id: "t-bad", name: "long", value: "v".repeat(201) },
          { score_id: "s-c", trace_id: "t-bad", name: "c", value: 1, comment: "c".repeat(5000) },
          { name: "no trace", value: 1 },
        ],
      },
      p.secretKey,
    );
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, "invalid_score"],
      [2, "invalid_score"],
      [3, "invalid_score"],
      [4, "invalid_score"],
      [5, "invalid_score"],
    ]);
    expect(body.rejected[0]!.message).toMatch(/name/);
    expect(body.rejected[3]!.score_id).toBe("s-c");
    const none = await postScores({ scores: [{ trace_id: "t", name: "n", value: null }] }, p.secretKey);
    expect(none.status).toBe(400);
    const many = await postScores(
      { scores: Array.from({ length: 1001 }, () => ({ trace_id: "t", name: "n", value: 1 })) },
      p.secretKey,
    );
    expect(many.status).toBe(413);
    expect(((await many.json()) as { error: { code: string } }).error.code).toBe("too_many_scores");
    expect((await postScores({ scores: [] }, p.secretKey)).status).toBe(400);
    expect((await postScores({ scores: [{ trace_id: "t", name: "n", value: 1 }] })).status).toBe(401);
  });
});

describe("the ingest key", () => {
  it("sends feedback and sdk scores only, can't read, and never replaces a secret key's or a member's score", async () => {
    const p = await createProject();
    const body = await accepted(
      {
        scores: [
          { score_id: "s-guard", trace_id: "t-i", name: "q", value: 0, timestamp: T0 + 10_000 },
          { trace_id: "t-i", name: "thumbs", value: true },
          { trace_id: "t-i", name: "label", value: "good", source: "annotation" },
          { trace_id: "t-i", name: "auto", value: 1, source: "sdk" },
        ],
      },
      p.ingestKey,
    );
    expect(body.accepted).toBe(3);
    expect(body.rejected).toEqual([expect.objectContaining({ index: 2, code: "source_not_allowed" })]);
    expect((await read("/api/v1/scores", p.ingestKey)).status).toBe(403);
    expect((await read("/api/v1/scores/summary", p.ingestKey)).status).toBe(403);
    await waitScores("t-i", p.secretKey, 3);

    const guarded = { score_id: "s-secret", trace_id: "t-i", name: "q", value: 5, timestamp: T0 };
    await deliverScores(p.projectId, [guarded], { kind: "secret", id: "k-secret" });
    await deliverScores(p.projectId, [{ ...guarded, value: 0, timestamp: T0 + 60_000, source: "feedback" }], {
      kind: "ingest",
      id: "k-ingest",
    });
    const kept = (await scoresOf("t-i", p.secretKey)).find((s) => s.score_id === "s-secret");
    expect(kept).toMatchObject({ value: 5, author_kind: "secret" });
  });
});

describe("score configs and annotations", () => {
  it("lets admins configure scores, enforces them on ingest, and lets members annotate a trace", async () => {
    const owner = await signUp("Scorer");
    const project = owner.project.id;
    const api = (path: string, init?: RequestInit & { json?: unknown }) =>
      owner.browser.request(`/api/projects/${project}${path}`, init);
    expect(
      (await api("/score-configs/quality", { method: "PUT", json: { kind: "numeric", min: 0, max: 1 } })).status,
    ).toBe(200);
    await api("/score-configs/verdict", { method: "PUT", json: { kind: "categorical", categories: ["good", "bad"] } });
    await api("/score-configs/helpful", { method: "PUT", json: { kind: "boolean", description: "Did it help?" } });
    const bad = await api("/score-configs/range", { method: "PUT", json: { kind: "numeric", min: 2, max: 1 } });
    expect(bad.status).toBe(400);
    // Names are taken as the path gives them, decoded once: `%`, spaces and non-ASCII are names like any other; an
    // over-long or blank name, a malformed body or a wrong field is a 400 naming the problem, never a 500.
    for (const name of ["accuracy %", "a%25b", "naïve", "%E0%A4%A"]) {
      const res = await api(`/score-configs/${encodeURIComponent(name)}`, { method: "PUT", json: { kind: "boolean" } });
      expect(res.status, name).toBe(200);
      expect(((await res.json()) as { config: { name: string } }).config.name).toBe(name);
      expect((await api(`/score-configs/${encodeURIComponent(name)}`, { method: "DELETE" })).status, name).toBe(200);
    }
    for (const [path, init, code, message] of [
      [
        `/score-configs/${"n".repeat(300)}`,
        { method: "PUT", json: { kind: "boolean" } },
        "invalid_request",
        /^Invalid path: name /,
      ],
      [
        "/score-configs/%20%20",
        { method: "PUT", json: { kind: "boolean" } },
        "invalid_request",
        /^Invalid path: name /,
      ],
      [
        "/score-configs/ok",
        { method: "PUT", json: { kind: "dice" } },
        "invalid_request",
        /^Invalid request body: kind /,
      ],
      [
        "/score-configs/ok",
        { method: "PUT", body: "{", headers: { "Content-Type": "application/json" } },
        "invalid_json",
        /not valid JSON/,
      ],
      ["/score-configs/a%25b", { method: "DELETE" }, "not_found", /No such score config/],
    ] as const) {
      const res = await api(path, init);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect([res.status, error.code], path).toEqual([code === "not_found" ? 404 : 400, code]);
      expect(error.message).toMatch(message);
    }
    const configs = (await (await api("/score-configs")).json()) as { configs: Array<{ name: string }> };
    expect(configs.configs.map((c) => c.name)).toEqual(["helpful", "quality", "verdict"]);
    // A secret key acts as a member: it reads configs but can't change them.
    const asKey = await SELF.fetch(`https://watchllm.test/api/projects/${project}/score-configs/quality`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${owner.keys.secret}`, "Content-Type": "application/json" },
      body: JSON.stringify({ kind: "boolean" }),
    });
    expect(asKey.status).toBe(403);

    const body = await accepted(
      {
        scores: [
          { trace_id: "t-c", name: "quality", value: 0.5 },
          { trace_id: "t-c", name: "quality", value: 1.5 },
          { trace_id: "t-c", name: "verdict", value: "meh" },
          { trace_id: "t-c", name: "helpful", value: 1 },
          { trace_id: "t-c", name: "helpful", value: "yes" },
          { trace_id: "t-c", name: "unconfigured", value: "anything" },
        ],
      },
      owner.keys.secret,
    );
    expect(body.accepted).toBe(3);
    expect(body.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, "outside_config"],
      [2, "outside_config"],
      [4, "outside_config"],
    ]);
    expect(body.rejected[0]!.message).toMatch(/above the maximum 1/);
    expect(body.rejected[1]!.message).toMatch(/not one of \["good","bad"\]/);
    const stored = await waitScores("t-c", owner.keys.secret, 3);
    expect(stored.find((s) => s.name === "helpful")).toMatchObject({ value: true, kind: "boolean" });

    // Annotations: the trace must exist in the project; the author is the member; edits replace; deletes remove.
    const missing = await api("/scores", {
      method: "POST",
      json: { trace_id: "t-none", name: "verdict", value: "good" },
    });
    expect(missing.status).toBe(404);
    const { root } = await seedTrace(project, "t-annotated");
    // The event must be one of the trace's (a phantom event's score was averaged into the trace's columns).
    const noEvent = await api("/scores", {
      method: "POST",
      json: { trace_id: "t-annotated", event_id: "nope", name: "verdict", value: "good" },
    });
    expect(noEvent.status).toBe(404);
    expect(((await noEvent.json()) as { error: { details: unknown } }).error.details).toEqual({
      trace_id: "t-annotated",
      event_id: "nope",
    });
    const created = await api("/scores", {
      method: "POST",
      json: { trace_id: "t-annotated", event_id: root, name: "verdict", value: "good", comment: "clear answer" },
    });
    expect(created.status).toBe(201);
    const { score } = (await created.json()) as { score: ScoreView };
    expect(score).toMatchObject({
      source: "annotation",
      author_kind: "member",
      author_id: owner.user.id,
      value: "good",
    });
    const outside = await api("/scores", {
      method: "POST",
      json: { trace_id: "t-annotated", name: "verdict", value: "x" },
    });
    expect(outside.status).toBe(400);
    const edited = await api("/scores", {
      method: "POST",
      json: { score_id: score.score_id, trace_id: "t-annotated", event_id: root, name: "verdict", value: "bad" },
    });
    expect(((await edited.json()) as { score: ScoreView }).score).toMatchObject({
      score_id: score.score_id,
      value: "bad",
    });
    const trace = await read<TraceAnswer>("/api/v1/traces/t-annotated", owner.keys.secret);
    expect(trace.body.scores).toEqual([
      expect.objectContaining({ score_id: score.score_id, value: "bad", event_id: root }),
    ]);
    // An ingest key can't overwrite the member's annotation.
    await deliverScores(
      project,
      [
        {
          score_id: score.score_id,
          trace_id: "t-annotated",
          name: "verdict",
          value: "good",
          timestamp: Date.now() + 60_000,
        },
      ],
      { kind: "ingest", id: "k" },
    );
    expect((await scoresOf("t-annotated", owner.keys.secret))[0]).toMatchObject({ value: "bad" });
    expect((await api(`/scores/${score.score_id}`, { method: "DELETE" })).status).toBe(200);
    expect(await scoresOf("t-annotated", owner.keys.secret)).toEqual([]);
    expect((await api(`/scores/${score.score_id}`, { method: "DELETE" })).status).toBe(404);
    expect((await api("/score-configs/verdict", { method: "DELETE" })).status).toBe(200);
  });
});

describe("deleting annotations", () => {
  it("lets a member change and delete only their own annotations, and an admin or the project's secret key any score", async () => {
    const owner = await signUp("Annotator");
    const [member, other] = [await join(owner, "member", "Member"), await join(owner, "member", "Other")];
    const project = owner.project.id;
    await seedTrace(project, "t-notes");
    const annotate = async (who: typeof owner, name: string) => {
      const res = await who.browser.request(`/api/projects/${project}/scores`, {
        method: "POST",
        json: { trace_id: "t-notes", name, value: 1 },
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { score: ScoreView }).score.score_id;
    };
    const remove = (who: typeof owner, id: string) =>
      who.browser.request(`/api/projects/${project}/scores/${encodeURIComponent(id)}`, { method: "DELETE" });
    const byOwner = await annotate(owner, "owner-note");
    const byMember = await annotate(member, "member-note");
    const byOther = await annotate(other, "other-note");
    const left = async () => (await scoresOf("t-notes", owner.keys.secret)).map((s) => s.name).sort();

    // Another member's annotation, or the owner's, is refused as if it did not exist, and stays.
    for (const id of [byOwner, byOther]) {
      const refused = await remove(member, id);
      expect(refused.status).toBe(404);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
    expect(await left()).toEqual(["member-note", "other-note", "owner-note"]);
    // Nor may they overwrite it by its id; their own they may.
    const rewrite = (id: string, value: number) =>
      member.browser.request(`/api/projects/${project}/scores`, {
        method: "POST",
        json: { score_id: id, trace_id: "t-notes", name: "member-note", value },
      });
    const overwrite = await rewrite(byOther, 0);
    expect(overwrite.status).toBe(403);
    expect(((await overwrite.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    expect((await rewrite(byMember, 0)).status).toBe(201);
    const values = Object.fromEntries((await scoresOf("t-notes", owner.keys.secret)).map((s) => [s.name, s.value]));
    expect(values).toEqual({ "member-note": 0, "other-note": 1, "owner-note": 1 });
    // An SDK's score is no member's annotation either.
    await deliverScores(project, [{ trace_id: "t-notes", name: "sdk-score", value: 0.5 }], { kind: "secret", id: "k" });
    const sdk = (await waitScores("t-notes", owner.keys.secret, 4)).find((s) => s.name === "sdk-score")!.score_id;
    expect((await remove(member, sdk)).status).toBe(404);
    // Their own goes.
    expect((await remove(member, byMember)).status).toBe(200);
    expect(await left()).toEqual(["other-note", "owner-note", "sdk-score"]);

    // The project's secret key deletes any score, its own annotations too; the owner (an admin) any.
    const asKey = (method: string, path: string, json?: unknown) =>
      SELF.fetch(`https://watchllm.test/api/projects/${project}${path}`, {
        method,
        headers: { Authorization: `Bearer ${owner.keys.secret}`, "Content-Type": "application/json" },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
    const keyNote = (
      (await (await asKey("POST", "/scores", { trace_id: "t-notes", name: "key-note", value: 1 })).json()) as {
        score: ScoreView;
      }
    ).score;
    expect(keyNote.author_kind).toBe("secret");
    expect((await asKey("DELETE", `/scores/${encodeURIComponent(keyNote.score_id)}`)).status).toBe(200);
    expect((await asKey("DELETE", `/scores/${encodeURIComponent(byOther)}`)).status).toBe(200);
    expect((await remove(owner, sdk)).status).toBe(200);
    expect(await left()).toEqual(["owner-note"]);
  });
});

describe("reads", () => {
  it("filters and pages the list, summarizes per name and bucket, and filters the trace list by a score", async () => {
    const p = await createProject();
    for (const t of ["t-a", "t-b", "t-c"]) await seedTrace(p.projectId, t, `u-${t}`);
    const at = (n: number) => T0 + n * 60_000;
    await deliverScores(
      p.projectId,
      [
        { trace_id: "t-a", name: "quality", value: 0.9, timestamp: at(0) },
        { trace_id: "t-b", name: "quality", value: 0.2, timestamp: at(1) },
        { trace_id: "t-a", name: "helpful", value: true, timestamp: at(2), context: { user_id: "u-1" } },
        { trace_id: "t-b", name: "helpful", value: false, timestamp: at(3), context: { user_id: "u-2" } },
        { trace_id: "t-a", name: "verdict", value: "good", timestamp: at(4) },
        { trace_id: "t-b", name: "verdict", value: "good", timestamp: at(5) },
        { trace_id: "t-c", name: "verdict", value: "bad", timestamp: at(6), source: "eval" },
      ],
      { kind: "secret", id: "k" },
    );
    const names = async (query: string) => (await listScores(query, p.secretKey)).body.scores.map((s) => s.trace_id);
    expect(await names("name=quality&min_value=0.5")).toEqual(["t-a"]);
    expect(await names("name=helpful&value=false")).toEqual(["t-b"]);
    expect(await names("value=good")).toEqual(["t-b", "t-a"]);
    expect(await names("source=eval")).toEqual(["t-c"]);
    expect(await names("user_id=u-1")).toEqual(["t-a"]);
    expect(await names(`from=${at(5)}&to=${at(7)}`)).toEqual(["t-c", "t-b"]);
    const first = await listScores("limit=4", p.secretKey);
    expect(first.body.scores).toHaveLength(4);
    const second = await listScores(`limit=4&cursor=${first.body.next_cursor}`, p.secretKey);
    expect(second.body.scores).toHaveLength(3);
    expect(second.body.next_cursor).toBeNull();

    const summary = await read<ScoreSummaryAnswer>(`/api/v1/scores/summary?from=${T0}&to=${at(60)}`, p.secretKey);
    expect(summary.status).toBe(200);
    const row = (name: string) => summary.body.rows.find((r) => r.name === name);
    expect(row("quality")).toMatchObject({ count: 2, values: null });
    expect(row("quality")!.avg).toBeCloseTo(0.55);
    expect(row("helpful")).toMatchObject({ count: 2, avg: 0.5 });
    expect(row("verdict")).toMatchObject({ count: 3, avg: null, values: { good: 2, bad: 1 } });

    const traces = async (query: string) =>
      (await read<TraceListAnswer>(`/api/v1/traces?${query}`, p.secretKey)).body.traces.map((t) => t.trace_id).sort();
    expect(await traces("score=quality&score_min=0.5")).toEqual(["t-a"]);
    expect(await traces("score=helpful&score_value=false")).toEqual(["t-b"]);
    expect(await traces("score=verdict&score_value=good")).toEqual(["t-a", "t-b"]);
    expect(await traces("score=quality&score_missing=true")).toEqual(["t-c"]);
    const withColumns = await read<TraceListAnswer>("/api/v1/traces?score_columns=quality,verdict", p.secretKey);
    const byId = Object.fromEntries(withColumns.body.traces.map((t) => [t.trace_id, t.scores]));
    expect(byId).toEqual({
      "t-a": { quality: 0.9, verdict: "good" },
      "t-b": { quality: 0.2, verdict: "good" },
      "t-c": { verdict: "bad" },
    });

    const user = await read("/api/v1/users/u-t-a", p.secretKey);
    expect(user.body.scores).toEqual([
      { name: "helpful", count: 1, avg: 1 },
      { name: "quality", count: 1, avg: 0.9 },
      { name: "verdict", count: 1, avg: null },
    ]);

    const json = await read<TraceExport>("/api/v1/traces/t-a/export?format=json", p.secretKey);
    expect(json.body.scores?.map((s) => s.name).sort()).toEqual(["helpful", "quality", "verdict"]);
    const har = await read("/api/v1/traces/t-a/export?format=har", p.secretKey);
    expect(har.body.log.pages[0]._watchllm.scores).toHaveLength(3);
  });

  it("gives a trace a new version when a score arrives (its ETag changes)", async () => {
    const p = await createProject();
    await seedTrace(p.projectId, "t-etag");
    const before = await read("/api/v1/traces/t-etag", p.secretKey);
    const tag = before.headers.get("ETag")!;
    expect((await read("/api/v1/traces/t-etag", p.secretKey, { "If-None-Match": tag })).status).toBe(304);
    await deliverScores(p.projectId, [{ trace_id: "t-etag", name: "q", value: 1 }], { kind: "secret", id: "k" });
    const after = await read<TraceAnswer>("/api/v1/traces/t-etag", p.secretKey, { "If-None-Match": tag });
    expect(after.status).toBe(200);
    expect(after.body.scores).toHaveLength(1);
  });
});

describe("isolation and deletion", () => {
  it("never shows a score naming another project's trace id there", async () => {
    const victim = await createProject();
    const other = await createProject();
    await seedTrace(victim.projectId, "t-shared");
    await accepted({ scores: [{ trace_id: "t-shared", name: "intrusion", value: 1 }] }, other.secretKey);
    await waitScores("t-shared", other.secretKey, 1);
    expect((await read<TraceAnswer>("/api/v1/traces/t-shared", victim.secretKey)).body.scores).toEqual([]);
    expect(await scoresOf("t-shared", victim.secretKey)).toEqual([]);
    const list = await read<TraceListAnswer>("/api/v1/traces?score=intrusion", victim.secretKey);
    expect(list.body.traces).toEqual([]);
  });

  it("deletes a trace's scores with the trace, and an end user's feedback with their data", async () => {
    const p = await createProject();
    await seedTrace(p.projectId, "t-gone");
    await seedTrace(p.projectId, "t-kept", "u-other");
    await deliverScores(
      p.projectId,
      [
        { trace_id: "t-gone", name: "q", value: 1 },
        { trace_id: "t-kept", name: "q", value: 1 },
        { trace_id: "t-kept", name: "thumbs", value: true, context: { user_id: "u-forget" } },
      ],
      { kind: "secret", id: "k" },
    );
    const del = await SELF.fetch("https://watchllm.test/api/v1/traces/t-gone", {
      method: "DELETE",
      headers: { Authorization: `Bearer ${p.secretKey}` },
    });
    expect(del.status).toBe(200);
    expect(await scoresOf("t-gone", p.secretKey)).toEqual([]);
    expect(await scoresOf("t-kept", p.secretKey)).toHaveLength(2);
    const user = await SELF.fetch("https://watchllm.test/api/v1/users/u-forget", {
      method: "DELETE",
      headers: { Authorization: `Bearer ${p.secretKey}` },
    });
    expect(user.status).toBe(200);
    expect((await scoresOf("t-kept", p.secretKey)).map((s) => s.name)).toEqual(["q"]);
  });

  it("lets retention take expired traces' scores, and scores whose trace never came", async () => {
    const p = await createProject();
    await seedTrace(p.projectId, "t-old");
    await deliverScores(
      p.projectId,
      [
        { trace_id: "t-old", name: "q", value: 1, timestamp: T0 },
        { trace_id: "t-never", name: "q", value: 1, timestamp: T0 },
        { trace_id: "t-future", name: "q", value: 1, timestamp: T0 + 30 * DAY_MS },
      ],
      { kind: "secret", id: "k" },
    );
    while ((await expireProject(env, { id: p.projectId, shard: p.shard, days: 7 }, T0 + 20 * DAY_MS)) > 0);
    expect((await listScores("", p.secretKey)).body.scores.map((s) => s.trace_id)).toEqual(["t-future"]);
  });
});
