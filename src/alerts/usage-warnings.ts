// The quota warnings' second half, every minute: each warning the consumer noted (src/usage/warnings.ts) is claimed
// once with a conditional update, in the same transaction as one delivery per alert channel of the org's projects, and
// those go out through the alerts queue like any notification (retries, history of attempts, signed webhooks).
import type { UsageWarningPayload } from "../../contract/usage.ts";
import { orgAlertChannels, pendingWarnings } from "../db/queries/usage.ts";
import { deliveryInsert, type NewDelivery } from "../db/writes/alerts.ts";
import { usageWarningClaim } from "../db/writes/usage-counts.ts";
import type { Bindings } from "../env.ts";
import { newId } from "../lib/ids.ts";
import { monthOf } from "../usage/quota.ts";
import { enqueueDeliveries } from "./queue.ts";

/** Warnings sent per run at most (the rest wait a minute). */
const MAX_PER_RUN = 100;

const count = (n: number) => n.toLocaleString("en-US");

/** What happens at this threshold, in a sentence. */
function consequence(threshold: number, limit: number, end: number) {
  const resets = new Date(end).toISOString().slice(0, 10);
  return threshold >= 100
    ? `All ${count(limit)} events of this month are used: every way in now refuses new events (429 quota_exceeded) until ${resets} or a plan change. Events already accepted are kept; reads keep working.`
    : `${threshold}% of this month's ${count(limit)} events are used; at 100% new events are refused until ${resets}.`;
}

export const isUsageWarning = (p: unknown): p is UsageWarningPayload =>
  (p as { type?: unknown } | null)?.type === "usage_warning";

/** One line: "Usage: Acme has used 80% of this month's 50,000 events (40,012)". */
export const usageSummary = (p: UsageWarningPayload) =>
  `Usage: ${p.org.name} has used ${p.threshold_percent}% of this month's ${count(p.limit)} events (${count(p.events)})`;

export function usageSlackMessage(p: UsageWarningPayload) {
  return {
    text: `${usageSummary(p)}. ${p.message}`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${usageSummary(p).replace(/[<>&]/g, "")}*` } },
      { type: "section", text: { type: "mrkdwn", text: p.message.replace(/[<>&]/g, "") } },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: `<${p.usage_url}|See usage> · delivery ${p.delivery_id}` }],
      },
    ],
  };
}

export const usageEmailMessage = (p: UsageWarningPayload) => ({
  subject: `[WatchLLM] ${usageSummary(p)}`,
  text: `${usageSummary(p)}.\n\n${p.message}\n\nUsage: ${p.usage_url}\n\nDelivery ${p.delivery_id}\n`,
});

/** Sends the warnings not sent yet; how many notifications were queued. */
export async function sendUsageWarnings(env: Bindings, now = Date.now()) {
  let queued = 0;
  for (const w of await pendingWarnings(env.DB, MAX_PER_RUN)) {
    const channels = await orgAlertChannels(env.DB, w.org_id);
    const month = monthOf(w.month);
    const ids = channels.map(() => newId("dlv"));
    const deliveries = channels.map((ch, i) => {
      const id = ids[i]!;
      const payload: UsageWarningPayload = {
        delivery_id: id,
        type: "usage_warning",
        org: { id: w.org_id, name: w.org_name },
        plan: w.plan,
        threshold_percent: w.threshold,
        events: w.events,
        limit: w.event_limit,
        month,
        message: consequence(w.threshold, w.event_limit, month.end),
        usage_url: `${ch.origin}/p/${ch.project_id}/settings`,
        reached_at: w.reached_at,
      };
      const d: NewDelivery = { id, channelId: ch.id, reason: "usage", payload: JSON.stringify(payload) };
      return deliveryInsert(env.DB, ch.alert_id, d, now, true);
    });
    const claim = usageWarningClaim(
      env.DB,
      { orgId: w.org_id, month: w.month, threshold: w.threshold },
      channels.length,
      now,
    );
    const [won] = await env.DB.batch([claim, ...deliveries]);
    // Another run claimed it first: its deliveries are the ones that go.
    if (!won?.results.length) continue;
    await enqueueDeliveries(env, ids);
    queued += ids.length;
  }
  return queued;
}
