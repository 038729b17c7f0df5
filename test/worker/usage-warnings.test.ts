// Quota warnings end to end: the real consumer notes 80% and 100% of an org's monthly events, the every-minute run
// sends each once through the org's alert channels (the real alerts queue to the local receiver, signed like alerts),
// and neither redelivery, a repeated or overlapping run, nor a channel shared by two rules sends one twice; a new
// month starts again.
import { createExecutionContext, createMessageBatch, env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import type { Alert } from "../../contract/alerts.ts";
import { type UsageReport, type UsageWarningPayload, usageWarningPayload } from "../../contract/usage.ts";
import { sendUsageWarnings } from "../../src/alerts/usage-warnings.ts";
import worker from "../../src/index.ts";
import { validateEvents } from "../../src/ingest/validate.ts";
import { monthOf } from "../../src/usage/quota.ts";
import { noteQuotaWarnings } from "../../src/usage/warnings.ts";
import { signUp } from "./account-fixtures.ts";
import { makeEvent, waitFor } from "./fixtures.ts";
import type { Received } from "./receiver.ts";

const receiver = inject("receiverUrl");
const PLANS = JSON.stringify({ ten: { events_per_month: 10 } });
const withPlans = { ...env, PLANS };
type Owner = Awaited<ReturnType<typeof signUp>>;

const received = async (path: string) =>
  (await (await fetch(`${receiver}/log?path=${encodeURIComponent(path)}`)).json()) as Received[];

async function createRule(owner: Owner, channels: unknown[]) {
  const res = await owner.browser.request(`/api/projects/${owner.project.id}/alerts`, {
    method: "POST",
    json: { name: "Errors", metric: "error_count", window_minutes: 5, op: ">", threshold: 1000, channels },
  });
  const body = (await res.json()) as { alert: Alert; signing_secret: string };
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** One delivery of `count` new events of the project to the real consumer (with the test plans); the message body. */
async function consume(projectId: string, count: number, body?: unknown) {
  const sent = body ?? {
    project_id: projectId,
    received_at: Date.now(),
    events: validateEvents(Array.from({ length: count }, () => makeEvent())).events,
    source: "sdk",
  };
  const batch = createMessageBatch("watchllm-events", [
    { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: sent },
  ]);
  await worker.queue(batch, withPlans, createExecutionContext());
  return sent;
}

const warningRows = async (orgId: string) =>
  (
    await env.DB.prepare(
      "SELECT month, threshold, events, notified_at, deliveries FROM usage_warnings WHERE org_id = ? ORDER BY month, threshold",
    )
      .bind(orgId)
      .all<{ month: number; threshold: number; events: number; notified_at: number | null; deliveries: number }>()
  ).results;
const usageDeliveries = async (orgId: string) =>
  (await env.DB.prepare(
    `SELECT count(*) AS n FROM alert_deliveries d JOIN alert_rules r ON r.id = d.alert_id
       JOIN projects p ON p.id = r.project_id WHERE p.org_id = ? AND d.reason = 'usage'`,
  )
    .bind(orgId)
    .first<number>("n")) ?? 0;

/** The documented verification (docs/alerts.md): the warning is signed like an alert. */
async function verified(secret: string, header: string, rawBody: string) {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=", 2)));
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "verify",
  ]);
  const mac = new Uint8Array((parts.v1 ?? "").match(/../g)?.map((h: string) => parseInt(h, 16)) ?? []);
  return crypto.subtle.verify("HMAC", key, mac, enc.encode(`${parts.t}.${rawBody}`));
}

describe("quota warnings", () => {
  it("sends one warning at 80% and one at 100% to each alert channel of the org, never twice", async () => {
    const owner = await signUp("Warned org");
    await env.DB.prepare("UPDATE orgs SET plan = 'ten' WHERE id = ?").bind(owner.org.id).run();
    const hook = `/usage/${crypto.randomUUID()}`;
    const slack = `/usage-slack/${crypto.randomUUID()}`;
    const { signing_secret } = await createRule(owner, [
      { type: "webhook", url: `${receiver}${hook}` },
      { type: "slack", url: `${receiver}${slack}` },
    ]);
    // A second rule on the same webhook: the org's destinations are told once each.
    await createRule(owner, [{ type: "webhook", url: `${receiver}${hook}` }]);

    await consume(owner.project.id, 7);
    expect(await warningRows(owner.org.id)).toEqual([]);
    expect(await sendUsageWarnings(env)).toBe(0);

    const crossing = await consume(owner.project.id, 1); // 8 of 10: 80%
    expect((await warningRows(owner.org.id)).map((w) => [w.threshold, w.events, w.notified_at])).toEqual([
      [80, 8, null],
    ]);
    // Two overlapping runs: one claims the warning and queues its two notifications, the other none.
    const runs = await Promise.all([sendUsageWarnings(env), sendUsageWarnings(env)]);
    expect(runs.sort()).toEqual([0, 2]);
    const [first] = await waitFor(
      () => received(hook),
      (r) => r.length === 1,
    );
    const payload = usageWarningPayload.parse(JSON.parse(first!.body)); // the body is the contract's, strictly
    expect(payload).toMatchObject({
      type: "usage_warning",
      org: { id: owner.org.id, name: owner.org.name },
      plan: "ten",
      threshold_percent: 80,
      events: 8,
      limit: 10,
    });
    expect(payload.usage_url).toBe(`https://watchllm.test/p/${owner.project.id}/settings`);
    expect(first!.headers["watchllm-delivery"]).toBe(payload.delivery_id);
    expect(await verified(signing_secret, String(first!.headers["watchllm-signature"]), first!.body)).toBe(true);
    const [slackMessage] = await waitFor(
      () => received(slack),
      (r) => r.length === 1,
    );
    expect((JSON.parse(slackMessage!.body) as { text: string }).text).toContain(
      `Usage: ${owner.org.name} has used 80% of this month's 10 events (8)`,
    );

    // Redelivery of the crossing message adds nothing and notes nothing new; later runs send nothing.
    await consume(owner.project.id, 0, crossing);
    await noteQuotaWarnings(env.DB, { PLANS }, [owner.project.id]);
    expect(await sendUsageWarnings(env)).toBe(0);
    expect(await warningRows(owner.org.id)).toHaveLength(1);

    await consume(owner.project.id, 2); // 10 of 10: 100%
    expect(await sendUsageWarnings(env)).toBe(2);
    const both = await waitFor(
      () => received(hook),
      (r) => r.length === 2,
    );
    const full = JSON.parse(both[1]!.body) as UsageWarningPayload;
    expect(full).toMatchObject({ threshold_percent: 100, events: 10, limit: 10 });
    expect(full.message).toMatch(/refuses new events \(429 quota_exceeded\)/);
    await noteQuotaWarnings(env.DB, { PLANS }, [owner.project.id]);
    expect(await sendUsageWarnings(env)).toBe(0);
    expect(await usageDeliveries(owner.org.id)).toBe(4);

    // The usage report lists both; the rule's own history leaves them out.
    const report = (await (await owner.browser.request(`/api/orgs/${owner.org.id}/usage`)).json()) as UsageReport;
    expect(report.month.warnings.map((w) => [w.threshold, w.deliveries, w.notified_at !== null])).toEqual([
      [80, 2, true],
      [100, 2, true],
    ]);
  });

  it("starts again in a new month, and notes nothing for an org without a quota", async () => {
    const owner = await signUp("Monthly org");
    await env.DB.prepare("UPDATE orgs SET plan = 'ten' WHERE id = ?").bind(owner.org.id).run();
    const hook = `/usage/${crypto.randomUUID()}`;
    await createRule(owner, [{ type: "webhook", url: `${receiver}${hook}` }]);
    await consume(owner.project.id, 9);
    expect(await sendUsageWarnings(env)).toBe(1);
    const next = monthOf(Date.now()).end;
    await env.DB.prepare("INSERT INTO usage_daily (org_id, project_id, day, source, events) VALUES (?, ?, ?, 'sdk', 8)")
      .bind(owner.org.id, owner.project.id, next)
      .run();
    await noteQuotaWarnings(env.DB, { PLANS }, [owner.project.id], next + 1000);
    expect((await warningRows(owner.org.id)).map((w) => [w.month === next, w.threshold])).toEqual([
      [false, 80],
      [true, 80],
    ]);
    expect(await sendUsageWarnings(env)).toBe(1);
    const sent = await waitFor(
      () => received(hook),
      (r) => r.length === 2,
    );
    expect(sent.map((r) => (JSON.parse(r.body) as UsageWarningPayload).month.start)).toEqual([
      monthOf(Date.now()).start,
      next,
    ]);

    const unlimited = await signUp("Unlimited org");
    await consume(unlimited.project.id, 50);
    expect(await warningRows(unlimited.org.id)).toEqual([]);
  });

  it("records a warning with no channel to tell as sent to none (the banner and the usage page still say it)", async () => {
    const owner = await signUp("Quiet org");
    await env.DB.prepare("UPDATE orgs SET plan = 'ten' WHERE id = ?").bind(owner.org.id).run();
    await consume(owner.project.id, 10);
    expect(await sendUsageWarnings(env)).toBe(0);
    expect((await warningRows(owner.org.id)).map((w) => [w.threshold, w.deliveries, w.notified_at !== null])).toEqual([
      [80, 0, true],
      [100, 0, true],
    ]);
  });
});
