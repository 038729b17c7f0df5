// Share links: a member shares one trace; anyone with the link reads that trace (and only it) without signing in; a
// link that hides inputs and outputs answers no body from D1 or R2 on any route; revoked, expired and unknown links all
// answer the same 404; roles decide who creates and who revokes; every change is in the audit log.
import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { shareCreatedAnswer, sharedEventAnswer, sharedTraceAnswer, shareListAnswer } from "../../contract/shares.ts";
import { type browser, join, type SignedUp, signUp } from "./account-fixtures.ts";
import { deliver } from "./fixtures.ts";

type Member = SignedUp & { browser: ReturnType<typeof browser> };

const SECRET = `share-secret-${crypto.randomUUID()}`;
const T0 = 1_764_000_000_000;
/** Larger than BODY_OFFLOAD_BYTES: kept in R2, D1 holding only a preview. */
const bigInput = `${SECRET} ${"lorem ipsum dolor sit amet ".repeat(400)}`;

let owner: Member;
let member: Member;
let viewer: Member;
let admin: Member;
let stranger: Member;

function agentRun(traceId: string) {
  return [
    {
      event_id: `${traceId}-root`,
      trace_id: traceId,
      type: "span",
      name: "support agent",
      timestamp: T0,
      duration_ms: 900,
      body: { input: `question ${SECRET}`, output: `answer ${SECRET}` },
      context: { user_id: `end-user-${SECRET}`, session_id: "sess-1", tags: ["prod"], metadata: { note: SECRET } },
    },
    {
      event_id: `${traceId}-llm`,
      trace_id: traceId,
      parent_event_id: `${traceId}-root`,
      type: "model_response",
      name: "chat gpt-4o-mini",
      model: "gpt-4o-mini",
      timestamp: T0 + 100,
      duration_ms: 700,
      usage: { input_tokens: 1200, output_tokens: 40 },
      body: { input: [{ role: "user", content: bigInput }], output: `the model says ${SECRET}` },
    },
    {
      event_id: `${traceId}-err`,
      trace_id: traceId,
      parent_event_id: `${traceId}-root`,
      type: "error",
      name: "tool failed",
      timestamp: T0 + 850,
      body: { message: `stack with ${SECRET}`, error_type: "ToolError" },
    },
  ];
}

const projectPath = (m: Member, rest = "") => `/api/projects/${m.project.id}/shares${rest}`;

async function parse<S extends z.ZodType>(schema: S, res: Response, status = 200): Promise<z.infer<S>> {
  const body: unknown = await res.json();
  expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(status);
  const parsed = schema.safeParse(body);
  expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  return parsed.data as z.infer<S>;
}

async function share(by: Member, json: Record<string, unknown>) {
  return parse(shareCreatedAnswer, await by.browser.request(projectPath(owner), { method: "POST", json }), 201);
}

/** A request from nobody: no cookie, no key, another origin's browser. */
const anonymous = (path: string, init: RequestInit = {}) => SELF.fetch(`https://watchllm.test${path}`, init);

beforeAll(async () => {
  owner = await signUp("Owner");
  member = await join(owner, "member", "member");
  viewer = await join(owner, "viewer", "viewer");
  admin = await join(owner, "admin", "admin");
  stranger = await signUp("Stranger");
  await deliver(owner.project.id, [...agentRun("shared-trace"), ...agentRun("other-trace")]);
  await deliver(stranger.project.id, agentRun("strangers-trace"));
});

describe("share links", () => {
  it("shows the shared trace, its events and its R2 body to anyone with the link, without signing in", async () => {
    const { share: link } = await share(member, { trace_id: "shared-trace" });
    expect(link.path).toBe(`/share/${link.token}`);
    expect(link).toMatchObject({
      trace_id: "shared-trace",
      hide_io: false,
      expires_at: null,
      created_by_name: "member",
    });

    const res = await anonymous(`/api/share/${link.token}`);
    expect(res.headers.get("X-Robots-Tag")).toContain("noindex");
    const shared = await parse(sharedTraceAnswer, res);
    expect(shared.trace.trace_id).toBe("shared-trace");
    expect(shared.events.map((e) => e.event_id)).toEqual(["shared-trace-root", "shared-trace-llm", "shared-trace-err"]);
    expect(shared.events[0]!.body).toEqual({ input: `question ${SECRET}`, output: `answer ${SECRET}` });
    expect(shared.events[1]!.body_truncated).toBe(true);

    const llm = await parse(sharedEventAnswer, await anonymous(`/api/share/${link.token}/events/shared-trace-llm`));
    expect((llm.event.body as { input: Array<{ content: string }> }).input[0]!.content).toBe(bigInput);
    expect(llm.event.body_missing).toBe(false);
  });

  it("answers no body, preview, end-user id or metadata on any route when the link hides inputs and outputs", async () => {
    const { share: link } = await share(member, { trace_id: "shared-trace", hide_io: true });
    const trace = await anonymous(`/api/share/${link.token}`);
    const text = await trace.text();
    expect(trace.status).toBe(200);
    expect(text).not.toContain(SECRET);
    const shared = sharedTraceAnswer.parse(JSON.parse(text));
    expect(shared.share.hide_io).toBe(true);
    expect(shared.events.every((e) => e.body === null && e.preview === null && e.body_bytes === 0)).toBe(true);
    // The shape stays: tokens, cost, timing and names are what such a link is for.
    expect(shared.events[1]).toMatchObject({ name: "chat gpt-4o-mini", input_tokens: 1200, output_tokens: 40 });
    for (const e of shared.events) {
      const res = await anonymous(`/api/share/${link.token}/events/${e.event_id}`);
      const body = await res.text();
      expect(res.status).toBe(200);
      expect(body, e.event_id).not.toContain(SECRET);
      const { event } = sharedEventAnswer.parse(JSON.parse(body));
      expect(event.body).toBeNull();
    }
    const root = await parse(sharedEventAnswer, await anonymous(`/api/share/${link.token}/events/shared-trace-root`));
    expect(root.event.context).toEqual({ tags: ["prod"] });
  });

  it("reads nothing but the shared trace: no other event, no trace route, no key", async () => {
    const { share: link } = await share(member, { trace_id: "shared-trace" });
    expect((await anonymous(`/api/share/${link.token}/events/other-trace-root`)).status).toBe(404);
    expect((await anonymous(`/api/share/${link.token}/events/strangers-trace-root`)).status).toBe(404);
    const bearer = { headers: { Authorization: `Bearer ${link.token}` } };
    expect((await anonymous(`/api/v1/traces/shared-trace?project_id=${owner.project.id}`, bearer)).status).toBe(401);
    expect((await anonymous(`/api/v1/traces/other-trace/export?project_id=${owner.project.id}`, bearer)).status).toBe(
      401,
    );
    expect((await anonymous(`/api/projects/${owner.project.id}/shares`, bearer)).status).toBe(401);
  });

  it("can't share another project's trace, and strangers can't list, create or revoke", async () => {
    const other = await owner.browser.request(projectPath(owner), {
      method: "POST",
      json: { trace_id: "strangers-trace" },
    });
    expect(other.status).toBe(404);
    const { share: link } = await share(member, { trace_id: "shared-trace" });
    expect((await stranger.browser.request(projectPath(owner))).status).toBe(404);
    expect(
      (await stranger.browser.request(projectPath(owner), { method: "POST", json: { trace_id: "shared-trace" } }))
        .status,
    ).toBe(404);
    expect((await stranger.browser.request(projectPath(owner, `/${link.id}`), { method: "DELETE" })).status).toBe(404);
    // The stranger's own project doesn't hold the owner's link either.
    expect((await stranger.browser.request(projectPath(stranger, `/${link.id}`), { method: "DELETE" })).status).toBe(
      404,
    );
    expect((await anonymous(`/api/share/${link.token}`)).status).toBe(200);
  });

  it("lets members create and list links; viewers neither", async () => {
    const created = await viewer.browser.request(projectPath(owner), {
      method: "POST",
      json: { trace_id: "shared-trace" },
    });
    expect(created.status).toBe(403);
    expect((await viewer.browser.request(projectPath(owner))).status).toBe(403);
    const { share: link } = await share(member, { trace_id: "other-trace", expires_in_days: 7 });
    expect(link.expires_at! - link.created_at).toBe(7 * 86_400_000);
    const list = await parse(
      shareListAnswer,
      await member.browser.request(projectPath(owner, "?trace_id=other-trace")),
    );
    expect(list.shares.map((s) => s.id)).toContain(link.id);
    expect(list.shares.every((s) => s.trace_id === "other-trace")).toBe(true);
    expect(JSON.stringify(list)).not.toContain(link.token);
  });

  it("revokes: the creator and admins may, other members may not; a revoked link answers 404", async () => {
    const { share: byMember } = await share(member, { trace_id: "shared-trace" });
    const { share: byAdmin } = await share(admin, { trace_id: "shared-trace" });
    const other = await join(owner, "member", "member");
    expect((await other.browser.request(projectPath(owner, `/${byMember.id}`), { method: "DELETE" })).status).toBe(403);
    expect((await member.browser.request(projectPath(owner, `/${byAdmin.id}`), { method: "DELETE" })).status).toBe(403);
    const revoked = await member.browser.request(projectPath(owner, `/${byMember.id}`), { method: "DELETE" });
    expect(revoked.status).toBe(200);
    // The answer is the link as the list shows it, its creator named (the same whether revoked now or before).
    const listed = (await (await member.browser.request(projectPath(owner, ""))).json()) as {
      shares: Array<{ id: string; created_by_name: string | null }>;
    };
    const shown = listed.shares.find((s) => s.id === byMember.id)!;
    expect(shown.created_by_name).toEqual(expect.any(String));
    const answer = (await revoked.json()) as { share: { revoked_at: number; created_by_name: string | null } };
    expect(answer.share.revoked_at).toBeGreaterThan(0);
    expect(answer.share.created_by_name).toBe(shown.created_by_name);
    const again = await member.browser.request(projectPath(owner, `/${byMember.id}`), { method: "DELETE" });
    expect(((await again.json()) as { share: unknown }).share).toEqual(answer.share);
    expect((await admin.browser.request(projectPath(owner, `/${byAdmin.id}`), { method: "DELETE" })).status).toBe(200);
    const unknown = await anonymous("/api/share/wl_share_doesnotexistatallxxxxxxxxxxxxxxxxxx");
    for (const link of [byMember, byAdmin]) {
      const res = await anonymous(`/api/share/${link.token}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual(await unknown.clone().json());
      expect((await anonymous(`/api/share/${link.token}/events/shared-trace-root`)).status).toBe(404);
    }

    const audit = (await (
      await owner.browser.request(`/api/orgs/${owner.org.id}/audit-log?project_id=${owner.project.id}`)
    ).json()) as { entries: Array<{ action: string; details: { share_id?: string } }> };
    const about = (id: string) => audit.entries.filter((e) => e.details.share_id === id).map((e) => e.action);
    expect(about(byMember.id).sort()).toEqual(["share.created", "share.revoked"]);
    expect(about(byAdmin.id).sort()).toEqual(["share.created", "share.revoked"]);
  });

  it("revokes links to a deleted trace and to a deleted end user's traces: a later event can't revive them", async () => {
    const ofUser = (trace: string, user: string) =>
      agentRun(trace).map((e) => (e.context ? { ...e, context: { ...e.context, user_id: user } } : e));
    const runs = [
      ...agentRun("doomed-trace"),
      ...ofUser("leaver-trace", "leaver"),
      ...ofUser("stayer-trace", "stayer"),
    ];
    await deliver(owner.project.id, runs);
    const links = {
      doomed: (await share(owner, { trace_id: "doomed-trace" })).share,
      leaver: (await share(owner, { trace_id: "leaver-trace" })).share,
      stayer: (await share(owner, { trace_id: "stayer-trace" })).share,
    };
    const asKey = (path: string) =>
      SELF.fetch(`https://watchllm.test${path}`, {
        method: "DELETE",
        headers: { Authorization: `Bearer ${owner.keys.secret}` },
      });
    expect((await asKey("/api/v1/traces/doomed-trace")).status).toBe(200);
    expect((await asKey("/api/v1/users/leaver")).status).toBe(200);
    // The same trace ids arrive again (a redelivery, a client's retry): the links stay dead.
    await deliver(owner.project.id, runs);
    expect((await anonymous(`/api/share/${links.doomed.token}`)).status).toBe(404);
    expect((await anonymous(`/api/share/${links.leaver.token}`)).status).toBe(404);
    expect((await anonymous(`/api/share/${links.stayer.token}`)).status).toBe(200);
    const listed = await parse(shareListAnswer, await owner.browser.request(projectPath(owner)));
    const revoked = (id: string) => listed.shares.find((l) => l.id === id)?.revoked_at;
    expect(revoked(links.doomed.id)).toEqual(expect.any(Number));
    expect(revoked(links.leaver.id)).toEqual(expect.any(Number));
    expect(revoked(links.stayer.id)).toBeNull();
  });

  it("stops answering once the link has expired", async () => {
    const { share: link } = await share(member, { trace_id: "shared-trace", expires_in_days: 1 });
    expect((await anonymous(`/api/share/${link.token}`)).status).toBe(200);
    await env.DB.prepare("UPDATE share_links SET expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1, link.id)
      .run();
    expect((await anonymous(`/api/share/${link.token}`)).status).toBe(404);
    expect((await anonymous(`/api/share/${link.token}/events/shared-trace-root`)).status).toBe(404);
  });

  it("refuses an expiry beyond a year and a trace id that isn't one", async () => {
    for (const json of [
      { trace_id: "shared-trace", expires_in_days: 366 },
      { trace_id: "" },
      { trace_id: "shared-trace", hide_io: "yes" },
    ]) {
      expect((await member.browser.request(projectPath(owner), { method: "POST", json })).status).toBe(400);
    }
  });

  it("rate-limits reads of one link from one client", async () => {
    const token = `wl_share_${crypto.randomUUID().replaceAll("-", "")}`;
    const statuses: number[] = [];
    // 120 reads a minute, counted in fixed 60 s windows: on a slow machine the reads may straddle a window's end, which
    // starts the count again, so the 429 comes by the 240th read at the latest and never before the 121st.
    while (statuses.length < 241 && !statuses.includes(429))
      statuses.push((await anonymous(`/api/share/${token}`)).status);
    const limited = statuses.indexOf(429);
    expect(limited).toBeGreaterThanOrEqual(120);
    expect(statuses.slice(0, limited).every((s) => s === 404)).toBe(true);
  });
});
