// Usage, plans and quotas inside workerd with the real local D1, Queue and Rate Limiting binding: counting from what the
// consumer stored (redelivery adds nothing), the monthly quota on every way in with each protocol's 429, the exact
// boundary, plan changes, the gateway switch and the per-project rate limit.
import { createExecutionContext, createMessageBatch, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { UsageReport } from "../../contract/usage.ts";
import { app } from "../../src/app.ts";
import worker from "../../src/index.ts";
import { validateEvents } from "../../src/ingest/validate.ts";
import { validateScores } from "../../src/scores/validate.ts";
import { signUp } from "./account-fixtures.ts";
import { createProject, makeEvent, waitFor } from "./fixtures.ts";

const PLANS = JSON.stringify({
  tiny: { events_per_month: 3 },
  big: { events_per_month: 1000 },
  "no-gateway": { gateway: false },
  tight: { rate_limiter: "TEST_TIGHT_RATE" },
  typo: { rate_limiter: "NO_SUCH_BINDING" },
  small: { members: 2, retention_days: 30 },
});
const VARS = { PLANS, QUOTA_CACHE_SECONDS: "0" };

/** A request to the real app with the test plans defined. */
const send = (path: string, init: RequestInit, vars: Record<string, string> = {}) =>
  app.request(`https://watchllm.test${path}`, init, { ...env, ...VARS, ...vars }, createExecutionContext());

const postEvents = (key: string, count: number, vars: Record<string, string> = {}) =>
  send(
    "/api/v1/events",
    {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
      body: JSON.stringify({ events: Array.from({ length: count }, () => makeEvent()) }),
    },
    vars,
  );

const otlpExport = () => ({
  resourceSpans: [
    {
      scopeSpans: [
        {
          spans: [
            {
              traceId: crypto.randomUUID().replaceAll("-", ""),
              spanId: crypto.randomUUID().replaceAll("-", "").slice(0, 16),
              name: "step",
              startTimeUnixNano: "1764000000000000000",
              endTimeUnixNano: "1764000000005000000",
            },
          ],
        },
      ],
    },
  ],
});
const postOtlp = (key: string) =>
  send("/api/v1/otel/v1/traces", {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify(otlpExport()),
  });

const langfuseItem = (id = crypto.randomUUID()) => ({
  id,
  type: "trace-create",
  timestamp: new Date().toISOString(),
  body: { id: crypto.randomUUID(), name: "t", timestamp: new Date().toISOString() },
});
const postLangfuse = (key: string, batch: unknown[]) =>
  send("/api/public/ingestion", {
    method: "POST",
    headers: { Authorization: `Basic ${btoa(`pk-lf-x:${key}`)}`, "Content-Type": "application/json" },
    body: JSON.stringify({ batch }),
  });

const postGateway = (key: string, vars: Record<string, string> = {}) =>
  send(
    "/gateway/openai/v1/chat/completions",
    {
      method: "POST",
      headers: { "WatchLLM-Auth": `Bearer ${key}`, "Content-Type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] }),
    },
    { OPENAI_UPSTREAM_URL: "http://127.0.0.1:9/v1", ...vars },
  );

const setPlan = (orgId: string, plan: string | null) =>
  env.DB.prepare("UPDATE orgs SET plan = ? WHERE id = ?").bind(plan, orgId).run();

type Row = { source: string; events: number; d1_bytes: number; r2_bytes: number };
const usageRows = async (projectId: string) =>
  (
    await env.DB.prepare(
      "SELECT source, sum(events) AS events, sum(d1_bytes) AS d1_bytes, sum(r2_bytes) AS r2_bytes FROM usage_daily " +
        "WHERE project_id = ? GROUP BY source ORDER BY source",
    )
      .bind(projectId)
      .all<Row>()
  ).results;
const eventsCounted = async (projectId: string) => (await usageRows(projectId)).reduce((n, r) => n + r.events, 0);

/** One queue delivery of these messages to the real consumer. */
async function consume(messages: Array<{ id: string; body: unknown }>) {
  const batch = createMessageBatch(
    "watchllm-events",
    messages.map((m) => ({ ...m, timestamp: Date.now(), attempts: 1 })),
  );
  await worker.queue(batch, env, createExecutionContext());
}

describe("usage counting", () => {
  it("counts what the consumer stored, once, however often a message is delivered", async () => {
    const p = await createProject("redelivery");
    const { events } = validateEvents([makeEvent(), makeEvent({ body: { input: "x".repeat(5_000) } }), makeEvent()]);
    const body = { project_id: p.projectId, received_at: Date.now(), events, source: "otlp" };
    await consume([{ id: "a", body }]);
    const first = await usageRows(p.projectId);
    expect(first).toEqual([{ source: "otlp", events: 3, d1_bytes: expect.any(Number), r2_bytes: expect.any(Number) }]);
    expect(first[0]!.r2_bytes).toBeGreaterThan(5_000);
    expect(first[0]!.d1_bytes).toBeGreaterThan(3 * 200);
    // Redelivered alone, and again together with a new event and a repeat inside one batch.
    await consume([{ id: "a", body }]);
    const [fourth] = validateEvents([makeEvent()]).events;
    await consume([
      { id: "a", body },
      { id: "b", body: { ...body, events: [fourth, events[0]] } },
    ]);
    expect(await usageRows(p.projectId)).toEqual([{ ...first[0], events: 4, d1_bytes: expect.any(Number) }]);
  });

  it("counts the scores the consumer newly stored, once per score id, apart from events", async () => {
    const p = await createProject("scores");
    const author = { kind: "secret" as const, id: "key" };
    const wire = (id: string, value: number) => ({ score_id: id, trace_id: "t-1", name: "quality", value });
    const { scores } = await validateScores([wire("s1", 1), wire("s2", 0.5), wire("s1", 0.9)], author, []);
    const body = { project_id: p.projectId, received_at: Date.now(), events: [], scores, source: "sdk" };
    await consume([{ id: "scores", body }]);
    await consume([{ id: "scores", body }]); // redelivered
    const { scores: later } = await validateScores([wire("s2", 0.7), wire("s3", 1)], author, []);
    await consume([{ id: "later", body: { ...body, scores: later, source: "langfuse" } }]); // s2 updated, s3 new
    const counted = await env.DB.prepare(
      "SELECT source, events, scores FROM usage_daily WHERE project_id = ? ORDER BY source",
    )
      .bind(p.projectId)
      .all();
    expect(counted.results).toEqual([
      { source: "langfuse", events: 0, scores: 1 },
      { source: "sdk", events: 0, scores: 2 },
    ]);
  });

  it("counts each way in under its own name, and a Langfuse event once however many parts it came in", async () => {
    const p = await createProject("ways-in");
    expect((await postEvents(p.ingestKey, 2)).status).toBe(202);
    expect((await postOtlp(p.ingestKey)).status).toBe(200);
    const traceId = crypto.randomUUID();
    const gen = crypto.randomUUID();
    const at = new Date().toISOString();
    const res = await postLangfuse(p.secretKey, [
      { id: crypto.randomUUID(), type: "trace-create", timestamp: at, body: { id: traceId, name: "t", timestamp: at } },
      {
        id: crypto.randomUUID(),
        type: "generation-create",
        timestamp: at,
        body: { id: gen, traceId, name: "g", startTime: at, model: "gpt-4o-mini" },
      },
      {
        id: crypto.randomUUID(),
        type: "generation-update",
        timestamp: at,
        body: { id: gen, traceId, endTime: at, usage: { input: 3, output: 1 } },
      },
    ]);
    expect(res.status).toBe(207);
    const rows = await waitFor(
      () => usageRows(p.projectId),
      (r) => r.length === 3 && r.find((x) => x.source === "langfuse")?.events === 2,
    );
    expect(rows.map((r) => [r.source, r.events])).toEqual([
      ["langfuse", 2],
      ["otlp", 1],
      ["sdk", 2],
    ]);
  });
});

describe("the monthly event quota", () => {
  it("takes events until the org's count reaches the limit, then refuses the next with 429 quota_exceeded", async () => {
    const p = await createProject("boundary");
    await setPlan(p.orgId, "tiny");
    expect((await postEvents(p.ingestKey, 2)).status).toBe(202);
    expect((await postEvents(p.ingestKey, 1)).status).toBe(202); // 3 of 3: the limit is reached, not passed
    const refused = await postEvents(p.ingestKey, 1);
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { error: { code: string; details: { limit: number; used: number } } };
    expect(body.error).toMatchObject({ code: "quota_exceeded", details: { limit: 3, used: 3 } });
    const retryAfter = Number(refused.headers.get("Retry-After"));
    const nextMonth = new Date();
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(
      (Date.UTC(nextMonth.getUTCFullYear(), nextMonth.getUTCMonth() + 1, 1) - Date.now()) / 1000 + 1,
    );
    // Nothing accepted is lost, reads keep working.
    expect(
      await waitFor(
        () => eventsCounted(p.projectId),
        (n) => n === 3,
      ),
    ).toBe(3);
    const read = await send("/api/v1/traces", { headers: { Authorization: `Bearer ${p.secretKey}` } });
    expect(read.status).toBe(200);
    // The stored count (not only this isolate's) holds the line too.
    expect((await postEvents(p.ingestKey, 1, { QUOTA_RETRY_AFTER_SECONDS: "3600" })).headers.get("Retry-After")).toBe(
      "3600",
    );
  });

  it("refuses OTLP with a google.rpc.Status 429, Langfuse with 429 item errors in its 207, the gateway with watchllm_quota_exceeded", async () => {
    const p = await createProject("protocols");
    await setPlan(p.orgId, "tiny");
    expect((await postEvents(p.ingestKey, 3)).status).toBe(202);

    const otlp = await postOtlp(p.ingestKey);
    expect(otlp.status).toBe(429);
    expect(otlp.headers.get("Retry-After")).toMatch(/^\d+$/);
    const status = (await otlp.json()) as { code: number; message: string; details: Array<{ "@type": string }> };
    expect(status.code).toBe(8);
    expect(status.message).toMatch(/^quota_exceeded: /);
    expect(status.details[0]!["@type"]).toBe("type.googleapis.com/google.rpc.RetryInfo");

    const ids = [crypto.randomUUID(), crypto.randomUUID()];
    const lf = await postLangfuse(p.secretKey, [langfuseItem(ids[0]), langfuseItem(ids[1]), { id: "bad" }]);
    expect(lf.status).toBe(207);
    expect(lf.headers.get("Retry-After")).toMatch(/^\d+$/);
    const answer = (await lf.json()) as { successes: unknown[]; errors: Array<{ id: string; status: number }> };
    expect(answer.successes).toEqual([]);
    expect(answer.errors.map((e) => [e.id, e.status]).sort()).toEqual(
      [
        ["bad", 400],
        [ids[0], 429],
        [ids[1], 429],
      ].sort(),
    );

    const gw = await postGateway(p.ingestKey);
    expect(gw.status).toBe(429);
    expect(gw.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(((await gw.json()) as { error: { code: string } }).error.code).toBe("watchllm_quota_exceeded");
  });

  it("takes effect as soon as the org's plan changes, both ways", async () => {
    const p = await createProject("plan-change");
    await setPlan(p.orgId, "tiny");
    expect((await postEvents(p.ingestKey, 3)).status).toBe(202);
    expect((await postEvents(p.ingestKey, 1)).status).toBe(429);
    await setPlan(p.orgId, "big");
    expect((await postEvents(p.ingestKey, 1)).status).toBe(202);
    await setPlan(p.orgId, "tiny");
    expect((await postEvents(p.ingestKey, 1)).status).toBe(429);
    await setPlan(p.orgId, null); // no plan, no DEFAULT_PLAN: unlimited
    expect((await postEvents(p.ingestKey, 1)).status).toBe(202);
    expect((await postEvents(p.ingestKey, 1, { DEFAULT_PLAN: "tiny" })).status).toBe(429);
  });

  it("counts every project of the org against one quota", async () => {
    const a = await createProject("org-a");
    await setPlan(a.orgId, "tiny");
    const sibling = crypto.randomUUID();
    await env.DB.prepare("INSERT INTO projects (id, org_id, name) VALUES (?, ?, 'sibling')")
      .bind(sibling, a.orgId)
      .run();
    const { events } = validateEvents([makeEvent(), makeEvent(), makeEvent()]);
    await consume([{ id: "s", body: { project_id: sibling, received_at: Date.now(), events, source: "sdk" } }]);
    expect((await postEvents(a.ingestKey, 1)).status).toBe(429);
  });
});

describe("plan switches and the rate limit", () => {
  it("refuses the gateway with 403 watchllm_plan_limit when the plan leaves it out", async () => {
    const p = await createProject("no-gateway");
    await setPlan(p.orgId, "no-gateway");
    const res = await postGateway(p.ingestKey);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("watchllm_plan_limit");
    expect((await postEvents(p.ingestKey, 1)).status).toBe(202);
  });

  it("answers 429 rate_limited with Retry-After once a project passes its rate, on every way in, and only that project", async () => {
    const p = await createProject("flood");
    const other = await createProject("steady");
    await setPlan(p.orgId, "tight");
    await setPlan(other.orgId, "tight");
    /** Sends until refused; the limiter's window (3 per 60 s) may roll over once, so at most two windows' worth pass. */
    const untilRefused = async (request: () => Response | Promise<Response>) => {
      for (let passed = 0; passed <= 6; passed++) {
        const res = await request();
        if (res.status === 429) return res;
        await res.body?.cancel();
      }
      throw new Error("never refused");
    };
    const res = await untilRefused(() => postEvents(p.ingestKey, 1));
    expect(res.headers.get("Retry-After")).toBe("10");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    expect((await postEvents(other.ingestKey, 1)).status).toBe(202);
    const otlp = await untilRefused(() => postOtlp(p.ingestKey));
    expect(((await otlp.json()) as { message: string }).message).toMatch(/^rate_limited: /);
    expect(otlp.headers.get("Retry-After")).toBe("10");
    const lf = await untilRefused(() => postLangfuse(p.secretKey, [langfuseItem()]));
    expect(((await lf.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    const gw = await untilRefused(() => postGateway(p.ingestKey));
    expect(((await gw.json()) as { error: { code: string } }).error.code).toBe("watchllm_rate_limited");
  });
});

describe("a plan naming a rate limiter wrangler.toml doesn't declare", () => {
  it("is limited by the default one, not left without a limit", async () => {
    const p = await createProject("typo");
    await setPlan(p.orgId, "typo");
    // The default binding (INGEST_RATE_LIMIT) stood in for by the tight one: 3 requests per 60 s per project.
    const vars = { INGEST_RATE_LIMIT: env.TEST_TIGHT_RATE } as unknown as Record<string, string>;
    const statuses: number[] = [];
    for (let i = 0; i < 8 && !statuses.includes(429); i++) {
      const res = await postEvents(p.ingestKey, 1, vars);
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(6);
  });
});

describe("the plan's members and retention", () => {
  it("refuses an invite once members and open invites fill the plan, and a retention longer than the plan's", async () => {
    const owner = await signUp("Small plan");
    await setPlan(owner.org.id, "small");
    const invite = () =>
      send(`/api/orgs/${owner.org.id}/invites`, {
        method: "POST",
        headers: { Cookie: owner.browser.cookie, Origin: "https://watchllm.test", "Content-Type": "application/json" },
        body: JSON.stringify({ role: "member" }),
      });
    expect((await invite()).status).toBe(201); // the owner and one open invite: 2 of 2
    const refused = await invite();
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("plan_limit");
    const retention = (days: number | null) =>
      send(`/api/projects/${owner.project.id}`, {
        method: "PATCH",
        headers: { Cookie: owner.browser.cookie, Origin: "https://watchllm.test", "Content-Type": "application/json" },
        body: JSON.stringify({ retention_days: days }),
      });
    expect((await retention(30)).status).toBe(200);
    expect((await retention(31)).status).toBe(403);
    expect((await retention(null)).status).toBe(403); // the instance's default here is forever
  });
});

describe("GET /api/orgs/:org/usage", () => {
  it("reports this month by project, way in and day against the plan, to owners", async () => {
    const owner = await signUp("Usage owner");
    await setPlan(owner.org.id, "tiny");
    const res = await send("/api/v1/events", {
      method: "POST",
      headers: { Authorization: `Bearer ${owner.keys.ingest}`, "Content-Type": "application/json" },
      body: JSON.stringify({ events: [makeEvent(), makeEvent()] }),
    });
    expect(res.status).toBe(202);
    const report = await waitFor(
      async () =>
        (await (
          await send(`/api/orgs/${owner.org.id}/usage`, { headers: { Cookie: owner.browser.cookie } }, {})
        ).json()) as UsageReport,
      (r) => r.totals?.events === 2,
    );
    expect(report.plan).toMatchObject({ name: "tiny", events_per_month: 3 });
    expect(report.month).toMatchObject({ events: 2, limit: 3, state: "ok" });
    expect(report.by_project).toEqual([expect.objectContaining({ project_id: owner.project.id, events: 2 })]);
    expect(report.by_source).toEqual([expect.objectContaining({ source: "sdk", events: 2, scores: 0 })]);
    expect(report.month.warnings).toEqual([]);
    expect(report.days).toHaveLength(1);
    // A range of one date is that whole day (it was empty: `to` widened to the day's start).
    const today = new Date(report.days[0]!.day).toISOString().slice(0, 10);
    const oneDay = (await (
      await send(`/api/orgs/${owner.org.id}/usage?from=${today}&to=${today}`, {
        headers: { Cookie: owner.browser.cookie },
      })
    ).json()) as UsageReport;
    expect(oneDay.totals.events).toBe(2);
    expect(oneDay.days).toHaveLength(1);
    // A range that ends before it starts is refused (it answered 200 with nothing in it).
    const backwards = await send(`/api/orgs/${owner.org.id}/usage?from=${today}&to=2026-01-01`, {
      headers: { Cookie: owner.browser.cookie },
    });
    expect(backwards.status).toBe(400);
    expect(((await backwards.json()) as { error: { message: string } }).error.message).toMatch(
      /`from` must not be after/,
    );
  });
});
