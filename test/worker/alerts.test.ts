// Alerts end to end: rules through the API, the every-minute evaluation over real local D1, deliveries through the
// real alerts queue to a local receiver (global-setup.ts), their history, and who may do what.
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
} from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { Alert } from "../../contract/alerts.ts";
import { handleAlertQueue } from "../../src/alerts/deliver.ts";
import { evaluateAlerts } from "../../src/alerts/evaluate.ts";
import { deliveryInsert } from "../../src/db/writes/alerts.ts";
import worker from "../../src/index.ts";
import { browser, signUp } from "./account-fixtures.ts";
import {
  base,
  createRule,
  history,
  hookPath,
  MINUTE,
  type Owner,
  payloads,
  received,
  receiver,
  rule,
  spend,
} from "./alert-fixtures.ts";
import { deliver, makeEvent, waitFor } from "./fixtures.ts";

/** The verification snippet of docs/alerts.md, as documented. */
async function verifyWatchLLMSignature(secret: string, header: string, rawBody: string, toleranceSeconds = 300) {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=", 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "verify",
  ]);
  const mac = new Uint8Array((parts.v1 ?? "").match(/../g)?.map((h: string) => parseInt(h, 16)) ?? []);
  return crypto.subtle.verify("HMAC", key, mac, enc.encode(`${t}.${rawBody}`));
}

describe("alert rules: evaluation and notification", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await signUp("Alerts");
  });

  it("fires once when the value crosses the line, stays quiet while firing, and resolves when it falls back", async () => {
    const path = hookPath();
    const { alert } = await createRule(owner, rule(path));
    expect(alert.state).toBe("ok");
    const at = base();
    await spend(owner.project.id, at, 0.8, "u1", 2);
    await evaluateAlerts(env, at);
    const [fired] = await waitFor(
      () => payloads(path),
      (p) => p.length === 1,
    );
    expect(fired).toMatchObject({
      state: "firing",
      metric: "cost",
      threshold: 1,
      group: null,
      alert: { id: alert.id },
    });
    expect(fired!.value).toBeCloseTo(1.6);
    expect(fired!.trace_list_url).toContain(`/p/${owner.project.id}/traces?`);
    await evaluateAlerts(env, at + MINUTE);
    // Ten minutes on, the events have left the 5-minute window.
    await evaluateAlerts(env, at + 10 * MINUTE);
    const all = await waitFor(
      () => payloads(path),
      (p) => p.length === 2,
    );
    expect(all.map((p) => p.state)).toEqual(["firing", "resolved"]);
    expect(all[1]!.value).toBe(0);
    const h = await history(owner, alert.id);
    expect(h.filter((e) => e.kind === "transition").map((e) => e.kind === "transition" && e.to)).toEqual([
      "resolved",
      "firing",
    ]);
    const read = await owner.browser.request(`/api/projects/${owner.project.id}/alerts/${alert.id}`);
    expect(((await read.json()) as { alert: Alert }).alert).toMatchObject({ state: "resolved", last_error: null });
  });

  it("fires per group: only the user who spent more than $5 in a day", async () => {
    const path = hookPath();
    await createRule(
      owner,
      rule(path, { window_minutes: 1440, threshold: 5, group_by: "user_id", name: "Any user over $5" }),
    );
    const at = base();
    await spend(owner.project.id, at, 3, "big-spender", 2);
    await spend(owner.project.id, at, 1, "small-spender", 2);
    await evaluateAlerts(env, at);
    const [p] = await waitFor(
      () => payloads(path),
      (p) => p.length === 1,
    );
    expect(p!.group).toEqual({ user_id: "big-spender" });
    expect(p!.trace_list_url).toContain("user_id=big-spender");
    expect((await received(path)).length).toBe(1);
  });

  it("does not judge a rate on fewer than min_count events", async () => {
    const path = hookPath();
    const { alert } = await createRule(owner, {
      ...rule(path, { metric: "error_rate", threshold: 0.5, min_count: 5, name: "Errors" }),
      filters: { name: ["flaky-step"] },
    });
    const at = base();
    const errors = (n: number) =>
      deliver(
        owner.project.id,
        Array.from({ length: n }, () => makeEvent({ name: "flaky-step", status: "error", timestamp: at - 10_000 })),
      );
    await errors(3);
    await evaluateAlerts(env, at);
    expect((await history(owner, alert.id)).filter((e) => e.kind === "transition")).toEqual([]);
    await errors(3);
    await evaluateAlerts(env, at + MINUTE);
    const [p] = await waitFor(
      () => payloads(path),
      (p) => p.length === 1,
    );
    expect(p).toMatchObject({ state: "firing", value: 1, count: 6 });
    // The rule's name is any event's: the link filters the list by event_name (its `name` is the root's), failed.
    const link = new URL(p!.trace_list_url);
    expect([link.searchParams.get("event_name"), link.searchParams.get("name")]).toEqual(["flaky-step", null]);
    expect(link.searchParams.get("status")).toBe("error");
  });

  it("renotifies while firing, every renotify_minutes", async () => {
    const path = hookPath();
    await createRule(
      owner,
      rule(path, { window_minutes: 60, renotify_minutes: 5, filters: { user_id: ["renotify-user"] } }),
    );
    const at = base();
    await spend(owner.project.id, at, 2, "renotify-user");
    await evaluateAlerts(env, at);
    await evaluateAlerts(env, at + 2 * MINUTE);
    await evaluateAlerts(env, at + 5 * MINUTE);
    const all = await waitFor(
      () => payloads(path),
      (p) => p.length === 2,
    );
    expect(all.map((p) => [p.state, p.reason])).toEqual([
      ["firing", "transition"],
      ["firing", "renotify"],
    ]);
    expect(new Set(all.map((p) => p.delivery_id)).size).toBe(2);
  });

  it("signs webhooks: the documented snippet verifies them, and refuses a tampered body or another secret", async () => {
    const path = hookPath();
    const { alert, signing_secret } = await createRule(owner, rule(path, { filters: { user_id: ["signed-user"] } }));
    expect(signing_secret).toMatch(/^whsec_/);
    expect(JSON.stringify(alert)).not.toContain(signing_secret);
    expect(alert.has_signing_secret).toBe(true);
    const at = base();
    await spend(owner.project.id, at, 2, "signed-user");
    await evaluateAlerts(env, at);
    const [r] = await waitFor(
      () => received(path),
      (r) => r.length === 1,
    );
    const header = r!.headers["watchllm-signature"] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(r!.headers["watchllm-delivery"]).toBe(JSON.parse(r!.body).delivery_id);
    expect(await verifyWatchLLMSignature(signing_secret, header, r!.body)).toBe(true);
    expect(await verifyWatchLLMSignature(signing_secret, header, r!.body.replace("firing", "resolved"))).toBe(false);
    expect(await verifyWatchLLMSignature("whsec_other", header, r!.body)).toBe(false);
  });

  it("retries a failing receiver with the same delivery_id, and the history shows every attempt", async () => {
    const path = hookPath("flaky/3");
    const { alert } = await createRule(owner, rule(path, { filters: { user_id: ["flaky-user"] } }));
    const at = base();
    await spend(owner.project.id, at, 2, "flaky-user");
    await evaluateAlerts(env, at);
    const tries = await waitFor(
      () => received(path),
      (r) => r.some((x) => x.status === 200),
    );
    expect(tries.map((t) => t.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(tries.map((t) => JSON.parse(t.body).delivery_id)).size).toBe(1);
    const [delivery] = await waitFor(
      async () => (await history(owner, alert.id)).filter((e) => e.kind === "delivery"),
      (d) => d[0]?.kind === "delivery" && d[0].status === "delivered",
    );
    if (delivery?.kind !== "delivery") throw new Error("no delivery");
    expect(delivery.id).toBe(JSON.parse(tries[0]!.body).delivery_id);
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 500, 500, 200]);
    expect(delivery.attempts[0]!.response).toBe("receiver down");
    expect(delivery.attempts[3]!.response!.length).toBe(1024);
  });

  it("sends one notification when two scheduled runs overlap", async () => {
    const path = hookPath();
    const { alert } = await createRule(owner, rule(path, { filters: { user_id: ["overlap-user"] } }));
    const at = base();
    await spend(owner.project.id, at, 2, "overlap-user");
    const reports = await Promise.all([evaluateAlerts(env, at), evaluateAlerts(env, at), evaluateAlerts(env, at + 1)]);
    await waitFor(
      () => received(path),
      (r) => r.length >= 1,
    );
    const h = await history(owner, alert.id);
    expect(h.filter((e) => e.kind === "transition")).toHaveLength(1);
    expect(h.filter((e) => e.kind === "delivery")).toHaveLength(1);
    // Each run also judged the other tests' rules; this rule's one notification is the only one any run queued for it.
    expect(reports.reduce((n, r) => n + r.notifications, 0)).toBeGreaterThanOrEqual(1);
    // Once the delivery is recorded as delivered, nothing else can still be on its way to the receiver.
    await waitFor(
      async () => (await history(owner, alert.id)).find((e) => e.kind === "delivery"),
      (d) => d?.kind === "delivery" && d.status === "delivered",
    );
    expect(await received(path)).toHaveLength(1);
  });

  it("records a rule whose evaluation fails as failed and evaluates the others", async () => {
    const broken = await createRule(owner, rule(hookPath(), { name: "Broken" }));
    const path = hookPath();
    const good = await createRule(owner, rule(path, { filters: { user_id: ["after-broken"] } }));
    await env.DB.prepare("UPDATE alert_rules SET metric = 'no_such_metric' WHERE id = ?").bind(broken.alert.id).run();
    const at = base();
    await spend(owner.project.id, at, 2, "after-broken");
    const report = await evaluateAlerts(env, at);
    expect(report.failed).toBeGreaterThanOrEqual(1);
    await waitFor(
      () => payloads(path),
      (p) => p.length === 1,
    );
    const rows = await env.DB.prepare("SELECT id, last_error FROM alert_rules WHERE id IN (?, ?)")
      .bind(broken.alert.id, good.alert.id)
      .all<{ id: string; last_error: string | null }>();
    const byId = Object.fromEntries(rows.results.map((r) => [r.id, r.last_error]));
    expect(byId[broken.alert.id]).toContain("no_such_metric");
    expect(byId[good.alert.id]).toBeNull();
  });

  it("runs from the scheduled handler every minute, the maintenance only every fifth", async () => {
    const path = hookPath();
    await createRule(owner, rule(path, { filters: { user_id: ["cron-user"] } }));
    const at = base();
    await spend(owner.project.id, at, 2, "cron-user");
    const ctx = { waitUntil: (p: Promise<unknown>) => waits.push(p), passThroughOnException: () => {} };
    const waits: Array<Promise<unknown>> = [];
    const minute = new Date(at).getUTCMinutes() % 5 === 0 ? at + MINUTE : at;
    worker.scheduled(createScheduledController({ cron: "* * * * *", scheduledTime: minute }), env, ctx as never);
    expect(waits).toHaveLength(1);
    await Promise.all(waits);
    await waitFor(
      () => payloads(path),
      (p) => p.length === 1,
    );
    const fifth = Math.ceil(at / (5 * MINUTE)) * 5 * MINUTE;
    worker.scheduled(createScheduledController({ cron: "* * * * *", scheduledTime: fifth }), env, ctx as never);
    expect(waits).toHaveLength(3);
    await Promise.all(waits);
  });

  it("sends a test notification to every channel on request", async () => {
    const path = hookPath();
    const { alert } = await createRule(owner, rule(path));
    const res = await owner.browser.request(`/api/projects/${owner.project.id}/alerts/${alert.id}/test`, {
      method: "POST",
    });
    expect(res.status).toBe(202);
    const { delivery_ids } = (await res.json()) as { delivery_ids: string[] };
    const [p] = await waitFor(
      () => payloads(path),
      (p) => p.length === 1,
    );
    expect(p).toMatchObject({ state: "test", reason: "test", delivery_id: delivery_ids[0] });
  });

  it("sends Slack's incoming-webhook format with a link to the filtered trace list", async () => {
    const path = hookPath();
    await createRule(owner, {
      ...rule(path, { filters: { user_id: ["slack-user"] }, name: "Slack spend" }),
      channels: [{ type: "slack", url: `${receiver}${path}` }],
    });
    const at = base();
    await spend(owner.project.id, at, 2, "slack-user");
    await evaluateAlerts(env, at);
    const [r] = await waitFor(
      () => received(path),
      (r) => r.length === 1,
    );
    const message = JSON.parse(r!.body) as {
      text: string;
      blocks: Array<{ text?: { text: string }; elements?: Array<{ text: string }> }>;
    };
    expect(message.text).toMatch(/^FIRING: Slack spend — cost 2 > 1 over 5 min/);
    // The block's mrkdwn keeps the comparison, escaped as Slack reads it.
    expect(message.blocks[0]!.text!.text).toMatch(/^\*FIRING: Slack spend — cost 2 &gt; 1 over 5 min/);
    expect(r!.headers["watchllm-signature"]).toBeUndefined();
    const link = message.blocks[1]!.elements![0]!.text;
    expect(link).toMatch(
      new RegExp(
        `^<https://watchllm\\.test/p/${owner.project.id}/traces\\?[^|]*user_id=slack-user[^|]*\\|View the traces>`,
      ),
    );
  });

  it("gives up on a receiver after 10 s, keeps why, and retries later", async () => {
    const path = hookPath("slow");
    const { alert } = await createRule(owner, rule(path));
    const id = `dlv_slow_${crypto.randomUUID()}`;
    await env.DB.batch([
      deliveryInsert(
        env.DB,
        alert.id,
        { id, channelId: alert.channels[0]!.id, reason: "test", payload: "{}" },
        Date.now(),
      ),
    ]);
    // Straight to the consumer (not the queue, whose retries would go on after the test).
    const batch = createMessageBatch("watchllm-alerts", [
      { id: "m1", timestamp: new Date(), attempts: 1, body: { delivery_id: id } },
    ]);
    const ctx = createExecutionContext();
    const started = Date.now();
    await handleAlertQueue(batch, env);
    expect(Date.now() - started).toBeLessThan(14_000);
    expect((await getQueueResult(batch, ctx)).retryMessages.map((m) => m.msgId)).toEqual(["m1"]);
    const [delivery] = (await history(owner, alert.id)).filter((e) => e.kind === "delivery");
    expect(delivery).toMatchObject({
      status: "retrying",
      attempts: [{ attempt: 1, status: null, error: "no answer within 10 s" }],
    });
  });

  it("disables a channel whose deliveries have failed for 24 hours, and says so", async () => {
    const path = hookPath("flaky/1000");
    const { alert } = await createRule(owner, rule(path));
    const channelId = alert.channels[0]!.id;
    await env.DB.prepare("UPDATE alert_channels SET failing_since = ? WHERE id = ?")
      .bind(Date.now() - 25 * 3_600_000, channelId)
      .run();
    await owner.browser.request(`/api/projects/${owner.project.id}/alerts/${alert.id}/test`, { method: "POST" });
    const read = await waitFor(
      async () =>
        (
          (await (await owner.browser.request(`/api/projects/${owner.project.id}/alerts/${alert.id}`)).json()) as {
            alert: Alert;
          }
        ).alert,
      (a) => a.channels[0]!.disabled_at !== null,
    );
    expect(read.channels[0]!.disabled_reason).toContain("failed for 24 hours");
  });
});

describe("alert rules: who may do what, and what is refused", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await signUp("Rules");
  });
  const url = () => `/api/projects/${owner.project.id}/alerts`;

  it("refuses bad rules with 400 and the reasons", async () => {
    const bad = [
      [{ window_minutes: 1 }, "window_minutes"],
      [{ metric: "error_rate", threshold: 5 }, "between 0 and 1"],
      [{ threshold: 1e308 }, "threshold"], // stored, then shown as "$NaN"
      [{ metric: "vibes" }, "metric"],
      [{ op: "!=" }, "op"],
      [{ group_by: "session_id" }, "group_by"],
      [{ channels: [{ type: "pager", url: "https://example.com" }] }, "channels"],
      [{ filters: { colour: ["red"] } }, "filters"],
      // Per end user with another field: the end users' rollup keeps none (it was accepted, then failed every minute).
      [{ group_by: "user_id", filters: { type: ["model_response"] } }, "end users have their own rollup"],
      [{ group_by: "model", filters: { user_id: ["u1"] } }, "end users have their own rollup"],
    ] as const;
    for (const [over, reason] of bad) {
      const res = await owner.browser.request(url(), { method: "POST", json: rule("/x", over) });
      expect(res.status, JSON.stringify(over)).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("invalid_request");
      expect(body.error.message).toContain(reason);
    }
  });

  it("checks a rule per end user whole: its preview, and a change that would add another field", async () => {
    const fields = { metric: "cost", window_minutes: 1_440, op: ">", threshold: 5, min_count: 1 };
    const preview = await owner.browser.request(`${url()}/preview?days=1`, {
      method: "POST",
      json: { ...fields, group_by: "user_id", filters: { type: ["model_response"] } },
    });
    expect(preview.status).toBe(400);
    expect(((await preview.json()) as { error: { message: string } }).error.message).toContain("own rollup");
    const perUser = await createRule(owner, rule("/x", { group_by: "user_id" }));
    const change = (json: unknown) => owner.browser.request(`${url()}/${perUser.alert.id}`, { method: "PATCH", json });
    const mixed = await change({ filters: { model: ["gpt-4o"] } });
    expect(mixed.status).toBe(400);
    expect(((await mixed.json()) as { error: { message: string } }).error.message).toContain("own rollup");
    expect((await change({ filters: { user_id: ["u1", "u2"] } })).status).toBe(200);
    expect((await change({ group_by: null, filters: { model: ["gpt-4o"] } })).status).toBe(200);
    // Any two fields that must agree: an error rate's threshold stays a fraction when only the threshold changes.
    const rate = await createRule(owner, rule("/x", { metric: "error_rate", threshold: 0.1 }));
    const tooHigh = await owner.browser.request(`${url()}/${rate.alert.id}`, {
      method: "PATCH",
      json: { threshold: 5 },
    });
    expect(tooHigh.status).toBe(400);
    expect(((await tooHigh.json()) as { error: { message: string } }).error.message).toContain("between 0 and 1");
  });

  it("refuses private, loopback, link-local, metadata and plain-http destinations", async () => {
    const refused = [
      "http://example.com/hook",
      "https://127.0.0.1/hook",
      "https://10.0.0.5/hook",
      "https://169.254.169.254/latest/meta-data",
      "https://localhost/hook",
      "https://[::1]/hook",
      "https://metadata.internal/hook",
      "https://user:pw@example.com/hook",
    ];
    for (const target of refused) {
      const res = await owner.browser.request(url(), {
        method: "POST",
        json: rule("/x", { channels: [{ type: "slack", url: target }] }),
      });
      expect(res.status, target).toBe(400);
      expect(((await res.json()) as { error: { details: { reasons: string[] } } }).error.details.reasons).toHaveLength(
        1,
      );
    }
    // The local receiver is allowed only in local mode.
    const deployed = browser(undefined, { LOCAL_MODE: "false" });
    deployed.cookie = owner.browser.cookie;
    const res = await deployed.request(url(), {
      method: "POST",
      json: rule("/x", { channels: [{ type: "webhook", url: `${receiver}/x` }] }),
    });
    expect(res.status).toBe(400);
    const email = await owner.browser.request(url(), {
      method: "POST",
      json: rule("/x", { channels: [{ type: "email", to: "oncall@example.com" }] }),
    });
    expect(email.status).toBe(400);
    expect(await email.text()).toContain("email is not configured");
  });

  it("lets members read but not create, change, delete or test; admins may", async () => {
    const { alert } = await createRule(owner, rule(hookPath()));
    const member = await signUp("Member");
    const invite = async (role: string) => {
      const res = await owner.browser.request(`/api/orgs/${owner.org.id}/invites`, { method: "POST", json: { role } });
      return ((await res.json()) as { invite: { token: string } }).invite.token;
    };
    await member.browser.request(`/api/invites/${await invite("member")}/accept`, { method: "POST" });
    expect((await member.browser.request(url())).status).toBe(200);
    expect((await member.browser.request(`${url()}/${alert.id}/history`)).status).toBe(200);
    const writes = [
      ["POST", url(), rule("/x")],
      ["PATCH", `${url()}/${alert.id}`, { threshold: 2 }],
      ["DELETE", `${url()}/${alert.id}`, undefined],
      ["POST", `${url()}/${alert.id}/test`, undefined],
    ] as const;
    for (const [method, path, json] of writes)
      expect((await member.browser.request(path, { method, ...(json && { json }) })).status, `${method} ${path}`).toBe(
        403,
      );
    // A secret key acts as a member: it reads, it can't write.
    const key = { Authorization: `Bearer ${owner.keys.secret}` };
    expect((await browser().request(url(), { headers: key })).status).toBe(200);
    expect((await browser().request(url(), { method: "POST", headers: key, json: rule("/x") })).status).toBe(403);
    const admin = await signUp("Admin");
    await admin.browser.request(`/api/invites/${await invite("admin")}/accept`, { method: "POST" });
    const patched = await admin.browser.request(`${url()}/${alert.id}`, { method: "PATCH", json: { threshold: 2 } });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { alert: Alert }).alert.threshold).toBe(2);
    expect((await admin.browser.request(`${url()}/${alert.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await admin.browser.request(`${url()}/${alert.id}`)).status).toBe(404);
    const log = await owner.browser.request(`/api/orgs/${owner.org.id}/audit-log`);
    const actions = ((await log.json()) as { entries: Array<{ action: string }> }).entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["alert.created", "alert.changed", "alert.deleted"]));
  });

  it("judges only the rule's own project: another project's spending never fires it", async () => {
    const other = await signUp("Other");
    const at = base();
    await spend(other.project.id, at, 50, "shared-user-id");
    const path = hookPath();
    const { alert } = await createRule(owner, rule(path, { filters: { user_id: ["shared-user-id"] } }));
    await evaluateAlerts(env, at);
    const row = await env.DB.prepare("SELECT recent FROM alert_rules WHERE id = ?")
      .bind(alert.id)
      .first<string>("recent");
    // No event of the rule's own project matches: nothing to judge (the other project's $50 is not seen).
    expect(JSON.parse(row!)).toEqual([[at, null]]);
    expect((await history(owner, alert.id)).filter((e) => e.kind === "transition")).toEqual([]);
  });

  it("previews how often a rule would have fired in the last 7 days", async () => {
    const now = Date.now();
    // Spending on three separate days: three separate firings of a 1-hour rule.
    for (const daysAgo of [1, 3, 5])
      await spend(owner.project.id, now - daysAgo * 86_400_000 + 60_000, 4, "preview-user");
    const res = await owner.browser.request(`${url()}/preview`, {
      method: "POST",
      json: { metric: "cost", filters: { user_id: ["preview-user"] }, window_minutes: 180, op: ">", threshold: 3 },
    });
    expect(res.status).toBe(200);
    const preview = (await res.json()) as { points: Array<{ value: number | null }>; would_have_fired: number };
    expect(preview.points).toHaveLength(84);
    expect(preview.would_have_fired).toBe(3);
  });
});
