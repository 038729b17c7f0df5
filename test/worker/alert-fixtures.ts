// Helpers of the alert tests: rules through the API, the local receiver's log (global-setup.ts), events that spend.
import { inject } from "vitest";
import type { Alert, AlertHistoryEntry, WebhookPayload } from "../../contract/alerts.ts";
import type { signUp } from "./account-fixtures.ts";
import { deliver, makeEvent } from "./fixtures.ts";
import type { Received } from "./receiver.ts";

export const receiver = inject("receiverUrl");
export type Owner = Awaited<ReturnType<typeof signUp>>;

export const MINUTE = 60_000;
/** Evaluation minutes: the next whole minute, so events a few seconds old fall inside every window. */
export const base = () => Math.ceil(Date.now() / MINUTE) * MINUTE;

export const hookPath = (kind = "hook") => `/${kind}/${crypto.randomUUID()}`;
export const received = async (path: string) =>
  (await (await fetch(`${receiver}/log?path=${encodeURIComponent(path)}`)).json()) as Received[];
export const payloads = async (path: string) => (await received(path)).map((r) => JSON.parse(r.body) as WebhookPayload);

export async function createRule(owner: Owner, rule: Record<string, unknown>) {
  const res = await owner.browser.request(`/api/projects/${owner.project.id}/alerts`, { method: "POST", json: rule });
  const body = (await res.json()) as { alert: Alert; signing_secret: string };
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

export const rule = (path: string, over: Record<string, unknown> = {}) => ({
  name: "Spend over $1",
  metric: "cost",
  window_minutes: 5,
  op: ">",
  threshold: 1,
  min_count: 1,
  channels: [{ type: "webhook", url: `${receiver}${path}` }],
  ...over,
});

export async function history(owner: Owner, alertId: string) {
  const res = await owner.browser.request(`/api/projects/${owner.project.id}/alerts/${alertId}/history`);
  return ((await res.json()) as { history: AlertHistoryEntry[] }).history;
}

export const spend = (projectId: string, at: number, cost: number, user = "u1", n = 1) =>
  deliver(
    projectId,
    Array.from({ length: n }, (_, i) =>
      makeEvent({
        type: "model_response",
        model: "gpt-4o",
        timestamp: at - 30_000 - i,
        cost_usd: cost,
        context: { user_id: user },
      }),
    ),
  );
