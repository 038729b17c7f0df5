// Every answer of the API, taken from the real Worker, parses with the contract's schemas (strict: a field the server
// adds or drops without the contract fails here). The dashboard and the SDK are typed from the same schemas.
import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { z } from "zod";
import {
  apiKey,
  inviteAcceptAnswer,
  inviteListAnswer,
  inviteOfferAnswer,
  keyAnswer,
  keyListAnswer,
  loginAnswer,
  meAnswer,
  memberAnswer,
  memberListAnswer,
  newInviteAnswer,
  newKeyAnswer,
  newOrgAnswer,
  newProjectAnswer,
  okAnswer,
  orgListAnswer,
  projectAnswer,
  projectListAnswer,
  projectUpdateAnswer,
  sessionProbeAnswer,
  signupAnswer,
} from "../../contract/accounts.ts";
import {
  alertAnswer,
  alertCreated,
  alertHistory,
  alertList,
  alertPreview,
  alertTestAnswer,
} from "../../contract/alerts.ts";
import { costReport, priceAnswer, priceListAnswer, recomputeAnswer } from "../../contract/costs.ts";
import { auditLogAnswer, deletionAnswer } from "../../contract/data.ts";
import { errorBody } from "../../contract/errors.ts";
import { ingestAnswer } from "../../contract/event.ts";
import { metricsAnswer } from "../../contract/metrics.ts";
import { API_ROUTES } from "../../contract/routes.ts";
import { scoreMetricsAnswer } from "../../contract/score-metrics.ts";
import {
  scoreAnswer,
  scoreConfigAnswer,
  scoreConfigListAnswer,
  scoreIngestAnswer,
  scoreListAnswer,
  scoreSummaryAnswer,
} from "../../contract/scores.ts";
import {
  shareAnswer,
  shareCreatedAnswer,
  sharedEventAnswer,
  sharedTraceAnswer,
  shareListAnswer,
} from "../../contract/shares.ts";
import {
  compareAnswer,
  eventAnswer,
  sessionAnswer,
  sessionListAnswer,
  traceAnswer,
  traceColumnsAnswer,
  traceExport,
  traceListAnswer,
  userAnswer,
  userListAnswer,
} from "../../contract/traces.ts";
import { usageReport } from "../../contract/usage.ts";
import { app } from "../../src/app.ts";
import { browser, type SignedUp, signUp, uniqueEmail } from "./account-fixtures.ts";
import { postEvents, read, waitFor } from "./fixtures.ts";

const T0 = 1_764_000_000_000;
let owner: SignedUp & { browser: ReturnType<typeof browser> };

/** Parses a Response's JSON with a schema; the test fails with zod's reasons when it doesn't fit. */
async function answer<S extends z.ZodType>(schema: S, res: Response | Promise<Response>, status = 200) {
  const r = await res;
  const body: unknown = await r.json();
  expect(r.status, JSON.stringify(body)).toBe(status);
  const parsed = schema.safeParse(body);
  expect(parsed.success ? [] : parsed.error.issues, JSON.stringify(body).slice(0, 500)).toEqual([]);
  return parsed.data as z.infer<S>;
}

const get = (path: string) => read(path, owner.keys.secret).then(({ body, status }) => Response.json(body, { status }));

/** One agent run; the second one's model has no price anywhere. */
const run = (trace: string, model: string) => [
  {
    event_id: `${trace}-root`,
    trace_id: trace,
    type: "span",
    name: "agent",
    timestamp: T0,
    duration_ms: 900,
    body: { input: "plan a trip" },
    context: { user_id: "u-contract", session_id: "s-contract", tags: ["contract"], metadata: { plan: "pro" } },
  },
  {
    event_id: `${trace}-llm`,
    trace_id: trace,
    parent_event_id: `${trace}-root`,
    type: "model_response",
    name: "plan",
    model,
    provider: "openai",
    timestamp: T0 + 10,
    duration_ms: 300,
    usage: { input_tokens: 120, output_tokens: 30, cached_input_tokens: 100 },
    body: { input: [{ role: "user", content: "plan a trip" }], output: "fly to Lisbon" },
    context: { user_id: "u-contract", session_id: "s-contract" },
  },
  {
    event_id: `${trace}-tool`,
    trace_id: trace,
    parent_event_id: `${trace}-root`,
    type: "tool_call",
    name: "search",
    timestamp: T0 + 320,
    duration_ms: 200,
    body: { input: { to: "LIS" }, output: { flights: 3 } },
  },
];

beforeAll(async () => {
  owner = await signUp("Contract Owner");
  await answer(
    ingestAnswer,
    postEvents([...run("ca", "gpt-4o"), ...run("cb", "house-model-unpriced")], { key: owner.keys.ingest }),
    202,
  );
  await waitFor(
    () => read("/api/v1/traces?limit=10", owner.keys.secret),
    (r) => r.body.traces?.length === 2 && r.body.traces.every((t: { span_count: number }) => t.span_count === 3),
  );
});

describe("the contract's route map", () => {
  it("names every route of the app, and only those", () => {
    // The gateway forwards to a provider and answers with the provider's own body: the one route outside the map.
    const mounted = new Set(
      app.routes.filter((r) => !r.path.startsWith("/gateway/")).map((r) => `${r.method} ${r.path}`),
    );
    mounted.delete("ALL /api/*");
    const mapped = new Set(Object.keys(API_ROUTES).map((k) => k.replace(/\?.*$/, "")));
    expect([...mounted].filter((r) => !mapped.has(r) && !r.startsWith("ALL "))).toEqual([]);
    expect([...mapped].filter((r) => !mounted.has(r))).toEqual([]);
  });
});

describe("the API's answers fit the contract", () => {
  it("ingest: 202 with rejections, and every error body", async () => {
    const mixed = await answer(
      ingestAnswer,
      postEvents([run("cc", "gpt-4o")[0], { event_id: "bad" }], { key: owner.keys.ingest }),
      202,
    );
    expect(mixed.rejected).toHaveLength(1);
    await answer(errorBody, postEvents([]), 401);
    await answer(errorBody, postEvents("{nope", { key: owner.keys.ingest }), 400);
    await answer(errorBody, get("/api/v1/traces/nope"), 404);
    await answer(errorBody, get("/api/v1/traces?limit=100000"), 400);
  });

  it("traces: list, tree, event, export, compare", async () => {
    await answer(traceListAnswer, get("/api/v1/traces?limit=1"));
    await answer(traceListAnswer, get("/api/v1/traces?q=lisbon&sort=cost&order=asc"));
    const tree = await answer(traceAnswer, get("/api/v1/traces/ca"));
    expect(tree.events.map((e) => e.type)).toEqual(["span", "model_response", "tool_call"]);
    const columns = await answer(traceColumnsAnswer, get("/api/v1/traces/ca?format=columns"));
    expect(columns.columns.type).toEqual(["span", "model_response", "tool_call"]);
    const head = await answer(traceColumnsAnswer, get("/api/v1/traces/ca?format=columns&head=2"));
    expect(head.columns.type).toEqual(["span", "model_response"]);
    await answer(eventAnswer, get("/api/v1/traces/ca/events/ca-llm"));
    await answer(traceExport, get("/api/v1/traces/ca/export?format=json"));
    const compare = await answer(compareAnswer, get("/api/v1/traces/compare?a=ca&b=cb"));
    // B's model call has no price: its cost delta is unknown, not −$0.002.
    expect(compare.spans.find((s) => s.type === "model_response")?.delta?.cost_usd).toBeNull();
  });

  it("scores: ingest, list, summary, configs, annotations, and the trace with its scores", async () => {
    const mixed = await answer(
      scoreIngestAnswer,
      SELF.fetch(
        new Request("https://watchllm.test/api/v1/scores", {
          method: "POST",
          headers: { Authorization: `Bearer ${owner.keys.ingest}` },
          body: JSON.stringify({ scores: [{ trace_id: "ca", name: "thumbs", value: true }, { name: "bad" }] }),
        }),
      ),
      202,
    );
    expect(mixed.rejected).toHaveLength(1);
    await waitFor(
      () => read("/api/v1/scores?trace_id=ca", owner.keys.secret),
      (r) => r.body.scores?.length === 1,
    );
    await answer(scoreListAnswer, get("/api/v1/scores?name=thumbs&value=true"));
    await answer(scoreSummaryAnswer, get("/api/v1/scores/summary?bucket=day"));
    const metrics = await answer(scoreMetricsAnswer, get("/api/v1/metrics?view=scores&name=thumbs"));
    expect(metrics.series[0]?.total.count).toBe(1);
    await answer(errorBody, get("/api/v1/metrics?view=scores&source=robot"), 400);
    const b = owner.browser;
    const at = `/api/projects/${owner.project.id}`;
    await answer(
      scoreConfigAnswer,
      b.request(`${at}/score-configs/verdict`, {
        method: "PUT",
        json: { kind: "categorical", categories: ["good", "bad"] },
      }),
    );
    await answer(scoreConfigListAnswer, b.request(`${at}/score-configs`));
    const created = await answer(
      scoreAnswer,
      b.request(`${at}/scores`, {
        method: "POST",
        json: { trace_id: "ca", event_id: "ca-llm", name: "verdict", value: "good" },
      }),
      201,
    );
    const tree = await answer(traceAnswer, get("/api/v1/traces/ca"));
    expect(tree.scores).toHaveLength(2);
    await answer(traceListAnswer, get("/api/v1/traces?score=verdict&score_value=good&score_columns=verdict,thumbs"));
    await answer(okAnswer, b.request(`${at}/scores/${created.score.score_id}`, { method: "DELETE" }));
    await answer(okAnswer, b.request(`${at}/score-configs/verdict`, { method: "DELETE" }));
    await answer(errorBody, get("/api/v1/scores?cursor=nope"), 400);
  });

  it("sessions and users: lists and one of each", async () => {
    await answer(sessionListAnswer, get("/api/v1/sessions"));
    await answer(sessionAnswer, get("/api/v1/sessions/s-contract"));
    await answer(userListAnswer, get("/api/v1/users"));
    await answer(userAnswer, get("/api/v1/users/u-contract"));
  });

  it("costs and prices", async () => {
    const range = `from=${T0 - 86_400_000}&to=${T0 + 86_400_000}`;
    for (const group of ["model", "provider", "day", "hour", "user", "session", "trace_name"]) {
      await answer(costReport, get(`/api/v1/costs?${range}&group_by=${group}`));
    }
    await answer(costReport, owner.browser.request(`/api/orgs/${owner.org.id}/costs?${range}&group_by=project`));
    await answer(usageReport, owner.browser.request(`/api/orgs/${owner.org.id}/usage?${range}`));
    for (const q of ["metrics=count,latency_p95,cost&group_by=model&limit=1", "view=traces&metrics=count,error_rate"])
      await answer(metricsAnswer, get(`/api/v1/metrics?${range}&${q}`));
    await answer(errorBody, get("/api/v1/metrics?metrics=vibes"), 400);
    const created = await answer(
      priceAnswer,
      owner.browser.request(`/api/v1/prices?project_id=${owner.project.id}`, {
        method: "POST",
        json: { model: "my-model", rates: { input_mtok: 1, output_mtok: 2 } },
      }),
      201,
    );
    await answer(priceListAnswer, get("/api/v1/prices"));
    await answer(priceListAnswer, get("/api/v1/prices?model=gpt-4o-2024-08-06"));
    const at = `/api/v1/prices/${created.price.id}?project_id=${owner.project.id}`;
    await answer(priceAnswer, owner.browser.request(at, { method: "PATCH", json: { rates: { input_mtok: 3 } } }));
    await answer(priceAnswer, owner.browser.request(at, { method: "DELETE" }));
    await answer(
      recomputeAnswer,
      owner.browser.request(`/api/v1/prices/recompute?project_id=${owner.project.id}`, {
        method: "POST",
        json: { from: T0 - 1000, to: T0 + 1000 },
      }),
    );
  });

  it("accounts: sign-up, login, me, orgs, projects, members, invites, keys", async () => {
    const email = uniqueEmail("contract");
    const fresh = browser("open");
    await answer(
      signupAnswer,
      fresh.request("/api/auth/signup", {
        method: "POST",
        json: { email, password: "correct horse battery", name: "C" },
      }),
      201,
    );
    await answer(
      loginAnswer,
      browser().request("/api/auth/login", { method: "POST", json: { email, password: "correct horse battery" } }),
    );
    const b = owner.browser;
    await answer(meAnswer, b.request("/api/me"));
    const probe = await answer(sessionProbeAnswer, b.request("/api/auth/session"));
    expect(probe.me?.user.id).toBe(owner.user.id);
    expect(await answer(sessionProbeAnswer, browser().request("/api/auth/session"))).toEqual({ me: null });
    await answer(orgListAnswer, b.request("/api/orgs"));
    const org = await answer(newOrgAnswer, b.request("/api/orgs", { method: "POST", json: { name: "Second" } }), 201);
    await answer(projectListAnswer, b.request(`/api/orgs/${owner.org.id}/projects`));
    await answer(
      newProjectAnswer,
      b.request(`/api/orgs/${org.org.id}/projects`, { method: "POST", json: { name: "P" } }),
      201,
    );
    await answer(projectAnswer, b.request(`/api/projects/${owner.project.id}`));
    await answer(memberListAnswer, b.request(`/api/orgs/${owner.org.id}/members`));
    const invite = await answer(
      newInviteAnswer,
      b.request(`/api/orgs/${owner.org.id}/invites`, { method: "POST", json: { role: "viewer" } }),
      201,
    );
    await answer(inviteListAnswer, b.request(`/api/orgs/${owner.org.id}/invites`));
    await answer(inviteOfferAnswer, browser().request(`/api/invites/${invite.invite.token}`));
    const guest = await signUp("Guest");
    const joined = await answer(
      inviteAcceptAnswer,
      guest.browser.request(`/api/invites/${invite.invite.token}/accept`, { method: "POST", json: {} }),
    );
    await answer(
      memberAnswer,
      b.request(`/api/orgs/${owner.org.id}/members/${guest.user.id}`, { method: "PATCH", json: { role: "member" } }),
    );
    expect(joined.joined.role).toBe("viewer");
    await answer(keyListAnswer, b.request(`/api/projects/${owner.project.id}/keys`));
    const key = await answer(
      newKeyAnswer,
      b.request(`/api/projects/${owner.project.id}/keys`, { method: "POST", json: { kind: "ingest", name: "k" } }),
      201,
    );
    const revoked = await answer(
      keyAnswer,
      b.request(`/api/projects/${owner.project.id}/keys/${key.key.id}`, { method: "DELETE" }),
    );
    expect(apiKey.parse(revoked.key).revoked_at).not.toBeNull();
    await answer(okAnswer, b.request(`/api/orgs/${owner.org.id}/members/${guest.user.id}`, { method: "DELETE" }));
  });

  it("data lifecycle: retention, deletions and their status, the audit log", async () => {
    const b = owner.browser;
    const updated = await answer(
      projectUpdateAnswer,
      b.request(`/api/projects/${owner.project.id}`, { method: "PATCH", json: { retention_days: 90 } }),
    );
    expect(updated.project.retention_days).toBe(90);
    const del = (path: string) =>
      b.request(path, { method: "DELETE", headers: { "X-WatchLLM-Project": owner.project.id } });
    const user = await answer(deletionAnswer, del("/api/v1/users/u-nobody"));
    await answer(deletionAnswer, get(user.deletion.status_url));
    await answer(deletionAnswer, b.request(`/api/orgs/${owner.org.id}/deletions/${user.deletion.id}`));
    await answer(auditLogAnswer, b.request(`/api/orgs/${owner.org.id}/audit-log?limit=1`));
    const spare = await answer(
      newProjectAnswer,
      b.request(`/api/orgs/${owner.org.id}/projects`, { method: "POST", json: { name: "to delete" } }),
      201,
    );
    const project = await answer(
      deletionAnswer,
      b.request(`/api/projects/${spare.project.id}`, { method: "DELETE" }),
      202,
    );
    await answer(deletionAnswer, b.request(project.deletion.status_url));
  });

  it("alerts: rules, one rule, preview, history, test, delete", async () => {
    const b = owner.browser;
    const base = `/api/projects/${owner.project.id}/alerts`;
    const rule = { name: "Spend", metric: "cost", window_minutes: 60, op: ">", threshold: 1 };
    const created = await answer(alertCreated, b.request(base, { method: "POST", json: rule }), 201);
    const id = created.alert.id;
    await answer(alertList, b.request(base));
    await answer(alertAnswer, b.request(`${base}/${id}`));
    await answer(alertAnswer, b.request(`${base}/${id}`, { method: "PATCH", json: { threshold: 2 } }));
    const { name: _, ...judged } = rule;
    await answer(alertPreview, b.request(`${base}/preview?days=1`, { method: "POST", json: judged }));
    await answer(alertHistory, b.request(`${base}/${id}/history`));
    const withChannel = await answer(
      alertAnswer,
      b.request(`${base}/${id}`, {
        method: "PATCH",
        json: { channels: [{ type: "webhook", url: `${inject("receiverUrl")}/contract` }] },
      }),
    );
    expect(withChannel.alert.channels).toHaveLength(1);
    await answer(alertTestAnswer, b.request(`${base}/${id}/test`, { method: "POST" }), 202);
    await answer(okAnswer, b.request(`${base}/${id}`, { method: "DELETE" }));
  });

  it("share links: create, list, the public trace and event, revoke", async () => {
    const b = owner.browser;
    const base = `/api/projects/${owner.project.id}/shares`;
    for (const hide_io of [false, true]) {
      const { share } = await answer(
        shareCreatedAnswer,
        b.request(base, { method: "POST", json: { trace_id: "ca", hide_io, expires_in_days: 30 } }),
        201,
      );
      await answer(sharedTraceAnswer, SELF.fetch(`https://watchllm.test/api/share/${share.token}`));
      await answer(sharedEventAnswer, SELF.fetch(`https://watchllm.test/api/share/${share.token}/events/ca-llm`));
      await answer(shareListAnswer, b.request(`${base}?trace_id=ca`));
      await answer(shareAnswer, b.request(`${base}/${share.id}`, { method: "DELETE" }));
      await answer(errorBody, SELF.fetch(`https://watchllm.test/api/share/${share.token}`), 404);
    }
  });
});
