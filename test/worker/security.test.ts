// What an attacker tried (issue 14), each pinned: hostile input must cost only itself, races must not beat limits,
// and nothing an outsider sends may stall, crash or leak.
import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BODY_LIMITS, LIMITS } from "../../contract/limits.ts";
import worker from "../../src/index.ts";
import { validateEvents } from "../../src/ingest/validate.ts";
import { browser, signUp } from "./account-fixtures.ts";
import { createProject, deliver, makeEvent, postEvents, read, storedEvents, waitFor } from "./fixtures.ts";

const nested = (levels: number) => JSON.parse(`${"[".repeat(levels)}${"]".repeat(levels)}`) as unknown;

describe("hostile price-override regexes (ReDoS)", () => {
  const hostile = ["((a+))+$", "((a)+)+$", "((a|a))*$", "((.*a)){12}$", `${"[a]*".repeat(12)}$`, "(a|aa)+$"];

  it("match in linear time: the hostile patterns cost milliseconds, not seconds, on the names that stall backtracking", async () => {
    const { browser: b, project } = await signUp("Regex");
    for (const regex of hostile) {
      const res = await b.request(`/api/v1/prices?project_id=${project.id}`, {
        method: "POST",
        json: { model: regex, match: { regex }, rates: { input_mtok: 1, output_mtok: 1 } },
      });
      expect(res.status).toBe(201);
    }
    // 27 a's and a mismatch: a backtracking engine takes seconds per pattern here.
    const model = `${"a".repeat(27)}!`;
    const started = performance.now();
    await deliver(project.id, [
      {
        event_id: "evil",
        trace_id: "evil",
        type: "model_response",
        name: "chat",
        model,
        timestamp: 1_764_000_000_000,
        usage: { input_tokens: 1, output_tokens: 1 },
      },
    ]);
    const lookup = await b.request(`/api/v1/prices?project_id=${project.id}&model=${encodeURIComponent(model)}`);
    expect(lookup.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("refuses what RE2 can't run (back-references, look-arounds) and rules nested too deep or too many", async () => {
    const { browser: b, project } = await signUp("Rules");
    const post = (match: unknown) =>
      b.request(`/api/v1/prices?project_id=${project.id}`, {
        method: "POST",
        json: { model: "m", match, rates: { input_mtok: 1 } },
      });
    for (const regex of ["(a)\\1", "a(?=b)", "(?<!x)y"]) {
      const res = await post({ regex });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/RE2/);
    }
    let deep: unknown = { equals: "m" };
    for (let i = 0; i < 1_000; i++) deep = { and: [deep] };
    const tooDeep = await post(deep);
    expect(tooDeep.status).toBe(400);
    expect(((await tooDeep.json()) as { error: { message: string } }).error.message).toMatch(/nest/);
    const tooMany = await post({ or: Array.from({ length: 50 }, () => ({ and: [{ equals: "a" }, { equals: "b" }] })) });
    expect(tooMany.status).toBe(400);
  });
});

describe("deeply nested JSON", () => {
  it("rejects an event nested deeper than the limit with its reason and keeps its sibling (no 500, no lost sibling)", async () => {
    const p = await createProject();
    for (const levels of [1_000, 100_000]) {
      const good = makeEvent();
      const deepBody = makeEvent({ body: { input: nested(levels) } });
      const deepMeta = makeEvent({ context: { metadata: { x: nested(levels) } } });
      const res = await postEvents([deepBody, good, deepMeta], { key: p.ingestKey });
      expect(res.status).toBe(202);
      const body = (await res.json()) as { accepted: number; rejected: Array<{ index: number; message: string }> };
      expect(body.accepted).toBe(1);
      expect(body.rejected.map((r) => r.index)).toEqual([0, 2]);
      expect(body.rejected[0]!.message).toContain(`nests deeper than ${LIMITS.maxJsonDepth} levels`);
      await waitFor(
        () => storedEvents(p.projectId),
        (rows) => rows.some((r) => r.event_id === good.event_id),
      );
    }
  });

  it("answers 400 with a reason, not 500, when every event of a batch is too deep", async () => {
    const p = await createProject();
    const res = await postEvents([makeEvent({ body: { x: nested(100_000) } })], { key: p.ingestKey });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("nests deeper than");
  });

  it("the consumer keeps an event it can't store as a dead letter and stores its siblings", async () => {
    const p = await createProject();
    const { events } = validateEvents([makeEvent(), makeEvent()]);
    // Past validation (an older producer, a replayed message): a body SQLite's JSON functions can't read (over 1,000
    // levels), small enough to stay in D1 rather than go to R2.
    const poisoned = { ...events[1]!, body: JSON.stringify({ input: nested(1_010) }) };
    expect(poisoned.body.length).toBeLessThanOrEqual(BODY_LIMITS.offloadBytes);
    const batch = createMessageBatch("watchllm-events", [
      {
        id: "mixed",
        timestamp: new Date(),
        attempts: 1,
        body: { project_id: p.projectId, received_at: 1, events: [events[0], poisoned] },
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["mixed"]);
    expect((await storedEvents(p.projectId)).map((r) => r.event_id)).toEqual([events[0]!.event_id]);
    const kept = await env.DB.prepare("SELECT id, project_id FROM dead_letters WHERE id = ?")
      .bind(`mixed:${poisoned.event_id}`)
      .first();
    expect(kept).toEqual({ id: `mixed:${poisoned.event_id}`, project_id: p.projectId });
  });
});

describe("ids and timestamps", () => {
  it("refuses ids with control characters per event, and never puts raw ids in headers", async () => {
    const p = await createProject();
    const res = await postEvents(
      [
        makeEvent({ trace_id: "line\nbreak" }),
        makeEvent({ event_id: "nul\u0000id" }),
        makeEvent({ trace_id: "ünïcödé trace ✓" }),
        makeEvent({ trace_id: "" }),
      ],
      { key: p.ingestKey },
    );
    const body = (await res.json()) as { accepted: number; rejected: Array<{ index: number; message: string }> };
    expect(body.rejected.map((r) => r.index)).toEqual([0, 1, 3]);
    expect(body.rejected[0]!.message).toMatch(/control characters/);
    // An empty id is too short, and only that (it also read "must not contain control characters").
    expect(body.rejected[2]!.message).toMatch(/trace_id/);
    expect(body.rejected[2]!.message).not.toMatch(/control characters/);
    await waitFor(
      () => read(`/api/v1/traces/${encodeURIComponent("ünïcödé trace ✓")}`, p.secretKey),
      (r) => r.status === 200,
    );
    const exported = await read(`/api/v1/traces/${encodeURIComponent("ünïcödé trace ✓")}/export`, p.secretKey);
    expect(exported.status).toBe(200);
  });

  it("checks ISO-8601 timestamps against the same 2000–2100 range as epoch ms", async () => {
    const p = await createProject();
    const res = await postEvents(
      [
        makeEvent({ timestamp: "0001-01-01T00:00:00Z" }),
        makeEvent({ timestamp: "9999-12-31T23:59:59Z" }),
        makeEvent({ timestamp: "2026-01-01T00:00:00+02:00" }),
      ],
      { key: p.ingestKey },
    );
    const body = (await res.json()) as { accepted: number; rejected: Array<{ index: number }> };
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => r.index)).toEqual([0, 1]);
  });
});

describe("cursors", () => {
  it("a forged cursor is a 400 invalid_cursor on every paged route, never a 500", async () => {
    const p = await createProject();
    await deliver(p.projectId, [makeEvent({ context: { session_id: "s1", user_id: "u1" } })]);
    const forged = ["WzFd", btoa('["x"]'), btoa("[null,null]"), btoa("[1,2,3,4,5]"), "%%%"];
    for (const cursor of forged) {
      for (const path of [
        "/api/v1/traces",
        "/api/v1/sessions",
        "/api/v1/users",
        "/api/v1/sessions/s1",
        "/api/v1/users/u1",
      ]) {
        const res = await read(`${path}?cursor=${encodeURIComponent(cursor)}`, p.secretKey);
        expect([res.status, res.body.error?.code, path, cursor]).toEqual([400, "invalid_cursor", path, cursor]);
      }
      const recompute = await SELF.fetch("https://watchllm.test/api/v1/prices/recompute", {
        method: "POST",
        headers: { Authorization: `Bearer ${p.secretKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({ from: 0, to: Date.now(), cursor }),
      });
      expect(recompute.status).toBe(400);
      expect(((await recompute.json()) as { error: { code: string } }).error.code).toBe("invalid_cursor");
    }
  });
});

describe("duplicates within a batch", () => {
  it("reports repeated event ids as rejected, so the client knows only one was taken", async () => {
    const p = await createProject();
    const a = makeEvent();
    const res = await postEvents([a, makeEvent(), { ...a, trace_id: "another-trace" }, a], { key: p.ingestKey });
    const body = (await res.json()) as { accepted: number; rejected: Array<{ index: number; code: string }> };
    expect(body.accepted).toBe(2);
    expect(body.rejected).toEqual([
      expect.objectContaining({ index: 2, code: "duplicate_event_id" }),
      expect.objectContaining({ index: 3, code: "duplicate_event_id" }),
    ]);
  });
});

describe("request size on dashboard routes", () => {
  it("refuses a huge body before reading it all", async () => {
    const res = await browser("open").request("/api/auth/login", {
      method: "POST",
      json: { email: "a@b.c", password: "x".repeat(2 * 1024 * 1024) },
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
  });
});

describe("logins", () => {
  const login = (b: ReturnType<typeof browser>, email: string, password: string, ip?: string) =>
    b.request("/api/auth/login", {
      method: "POST",
      json: { email, password },
      headers: ip ? { "CF-Connecting-IP": ip } : {},
    });

  it("checks at most 5 passwords of 40 sent at once for one email from one IP (counted before hashing)", async () => {
    const { user, password } = await signUp("Race");
    const attempts = Array.from({ length: 40 }, (_, i) =>
      login(browser(), user.email, i === 39 ? password : `wrong-password-${i}`, "203.0.113.7"),
    );
    const statuses = (await Promise.all(attempts)).map((r) => r.status);
    const checked = statuses.filter((s) => s === 401 || s === 200).length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - checked);
  });

  it("a stranger's failures from their IP don't lock the owner out of theirs; delays grow instead of a hard lock", async () => {
    const { user, password } = await signUp("Victim");
    for (let i = 0; i < 5; i++)
      expect((await login(browser(), user.email, "attacker-guess", "198.51.100.1")).status).toBe(401);
    const throttled = await login(browser(), user.email, "attacker-guess", "198.51.100.1");
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("Retry-After"))).toBeGreaterThanOrEqual(14);
    expect((await login(browser(), user.email, password, "192.0.2.44")).status).toBe(200);
  });

  it("trusts CF-Connecting-IP only when told to (behind Cloudflare); otherwise every client is one 'unknown' client", async () => {
    const { user } = await signUp("Local");
    const local = () => browser("open", { TRUST_CF_CONNECTING_IP: "false" });
    for (let i = 0; i < 5; i++)
      expect((await login(local(), user.email, "nope-nope-nope", `10.0.0.${i}`)).status).toBe(401);
    // A forged header doesn't buy a fresh budget.
    expect((await login(local(), user.email, "nope-nope-nope", "10.9.9.9")).status).toBe(429);
  });
});

describe("sign-up and invites", () => {
  it("of 6 sign-ups racing with one invite link, exactly one gets an account", async () => {
    const { browser: owner, org } = await signUp("Inviter");
    const res = await owner.request(`/api/orgs/${org.id}/invites`, { method: "POST", json: { role: "member" } });
    const { invite } = (await res.json()) as { invite: { token: string } };
    const attempts = Array.from({ length: 6 }, (_, i) =>
      browser("invite").request("/api/auth/signup", {
        method: "POST",
        json: {
          email: `racer-${Date.now()}-${i}@example.com`,
          password: "correct horse battery",
          name: `R${i}`,
          invite_token: invite.token,
        },
      }),
    );
    const statuses = (await Promise.all(attempts)).map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 410)).toHaveLength(5);
    const members = (await (await owner.request(`/api/orgs/${org.id}/members`)).json()) as { members: unknown[] };
    expect(members.members).toHaveLength(2);
  });

  it("an invite made out to an email can't be used by another", async () => {
    const { browser: owner, org } = await signUp("Binder");
    const res = await owner.request(`/api/orgs/${org.id}/invites`, {
      method: "POST",
      json: { role: "admin", email: "intended@example.com" },
    });
    const { invite } = (await res.json()) as { invite: { token: string } };
    const stranger = await signUp("Stranger");
    expect(
      (await stranger.browser.request(`/api/invites/${invite.token}/accept`, { method: "POST", json: {} })).status,
    ).toBe(403);
    const signup = await browser("invite").request("/api/auth/signup", {
      method: "POST",
      json: {
        email: "someone-else@example.com",
        password: "correct horse battery",
        name: "S",
        invite_token: invite.token,
      },
    });
    expect(signup.status).toBe(403);
    const intended = await browser("invite").request("/api/auth/signup", {
      method: "POST",
      json: { email: "Intended@Example.com", password: "correct horse battery", name: "I", invite_token: invite.token },
    });
    expect(intended.status).toBe(201);
  });

  it("requires passwords of at least 12 characters that aren't only spaces", async () => {
    for (const password of ["elevenchars", " ".repeat(16)]) {
      const res = await browser("open").request("/api/auth/signup", {
        method: "POST",
        json: { email: `pw-${Date.now()}@example.com`, password, name: "P" },
      });
      expect(res.status).toBe(400);
    }
  });
});

describe("org ownership", () => {
  it("two owners demoting themselves at once leave the org with an owner", async () => {
    const a = await signUp("Owner A");
    const b = await signUp("Owner B");
    const created = await a.browser.request(`/api/orgs/${a.org.id}/invites`, {
      method: "POST",
      json: { role: "owner" },
    });
    const { invite } = (await created.json()) as { invite: { token: string } };
    expect((await b.browser.request(`/api/invites/${invite.token}/accept`, { method: "POST", json: {} })).status).toBe(
      200,
    );
    const demote = (who: typeof a) =>
      who.browser.request(`/api/orgs/${a.org.id}/members/${who.user.id}`, { method: "PATCH", json: { role: "admin" } });
    const statuses = (await Promise.all([demote(a), demote(b)])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    const { members } = (await (await a.browser.request(`/api/orgs/${a.org.id}/members`)).json()) as {
      members: Array<{ role: string }>;
    };
    expect(members.filter((m) => m.role === "owner")).toHaveLength(1);
    const leave = (who: typeof a) =>
      who.browser.request(`/api/orgs/${a.org.id}/members/${who.user.id}`, { method: "DELETE" });
    const owner = members.find((m) => m.role === "owner") as unknown as { user_id: string };
    const last = owner.user_id === a.user.id ? a : b;
    expect((await leave(last)).status).toBe(409);
  });
});

describe("headers", () => {
  it("API answers that carry keys or sessions are never cached; trace reads revalidate", async () => {
    const res = await browser("open").request("/api/auth/signup", {
      method: "POST",
      json: { email: `cache-${Date.now()}@example.com`, password: "correct horse battery", name: "C" },
    });
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const { keys } = (await res.json()) as { keys: { secret: string } };
    await postEvents([makeEvent({ trace_id: "cached" })], { key: keys.secret });
    const trace = await waitFor(
      () => read("/api/v1/traces/cached", keys.secret),
      (r) => r.status === 200,
    );
    expect(trace.headers.get("Cache-Control")).toBe("private, no-cache");
  });

  it("a route asked with another method answers 405 with Allow; an unknown path 404", async () => {
    const { keys } = await signUp();
    const ask = (method: string, path: string) =>
      SELF.fetch(`https://watchllm.test${path}`, { method, headers: { Authorization: `Bearer ${keys.secret}` } });
    for (const [method, path, allow] of [
      ["PUT", "/api/v1/traces", "GET"],
      ["PATCH", "/api/v1/events", "POST"],
      ["POST", "/api/v1/traces/some-trace", "GET, DELETE"],
    ] as const) {
      const res = await ask(method, path);
      expect([res.status, res.headers.get("Allow")], `${method} ${path}`).toEqual([405, allow]);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
    }
    const unknown = await ask("GET", "/api/v1/nothing-here");
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/^No route for GET/);
  });
});

describe("CSRF with a bogus Authorization header (issue 22)", () => {
  it.each(["Basic Zm9vOmJhcg==", "Bearer", "x", "Bearer not-a-key"])(
    "a session cookie never authenticates a request carrying `Authorization: %s` from another origin",
    async (authorization) => {
      const owner = await signUp();
      await deliver(owner.project.id, [makeEvent({ trace_id: "t-csrf" })]);
      const evil = (path: string, method: string, json?: unknown) =>
        SELF.fetch(`https://watchllm.test${path}`, {
          method,
          headers: {
            Cookie: owner.browser.cookie,
            Origin: "https://evil.example",
            Authorization: authorization,
            "X-WatchLLM-Project": owner.project.id,
            ...(json !== undefined && { "Content-Type": "application/json" }),
          },
          body: json === undefined ? undefined : JSON.stringify(json),
        });
      const deleted = await evil("/api/v1/traces/t-csrf", "DELETE");
      expect([401, 403]).toContain(deleted.status);
      const invite = await evil(`/api/orgs/${owner.org.id}/invites`, "POST", { role: "admin" });
      expect([401, 403]).toContain(invite.status);
      expect((await read("/api/v1/traces/t-csrf", owner.keys.secret)).status).toBe(200);
    },
  );

  it("the dashboard's own same-origin requests still work by cookie", async () => {
    const owner = await signUp();
    const res = await owner.browser.request(`/api/orgs/${owner.org.id}/invites`, {
      method: "POST",
      json: { role: "viewer" },
    });
    expect(res.status).toBe(201);
  });
});
