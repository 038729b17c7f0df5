// What a notification says: the webhook's JSON (the same body on every attempt), its signature, Slack's message and
// the email's text, each linking to the trace list filtered like the rule.
import type { AlertFilters, WebhookPayload } from "../../contract/alerts.ts";
import type { AlertRuleRow } from "../db/schema.ts";

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The dashboard's trace list filtered like the rule (and its group) over the window's days. */
export function traceListUrl(rule: AlertRuleRow, group: Record<string, string> | null, from: number, to: number) {
  const filters = JSON.parse(rule.filters) as AlertFilters;
  const params = new URLSearchParams({ from: day(from), to: day(to) });
  // A rule's `name` is any event's: the list's `event_name` (its `name` is the root's).
  for (const [key, param] of [
    ["model", "model"],
    ["user_id", "user_id"],
    ["name", "event_name"],
  ] as const) {
    const value = group?.[key] ?? filters[key]?.[0];
    if (value) params.set(param, value);
  }
  if (rule.metric.startsWith("error") || filters.status?.[0] === "error") params.set("status", "error");
  return `${rule.origin}/p/${rule.projectId}/traces?${params}`;
}

export type Measured = { value: number | null; count: number; group: Record<string, string> | null };

/** The payload of one notification (the delivery id is the one every attempt carries). */
export function buildPayload(
  rule: AlertRuleRow,
  project: { id: string; name: string },
  m: Measured & { state: WebhookPayload["state"]; reason: WebhookPayload["reason"]; deliveryId: string; at: number },
): WebhookPayload {
  const from = m.at - rule.windowMinutes * 60_000;
  return {
    delivery_id: m.deliveryId,
    alert: { id: rule.id, name: rule.name },
    project,
    state: m.state,
    reason: m.reason,
    metric: rule.metric as WebhookPayload["metric"],
    op: rule.op as WebhookPayload["op"],
    value: m.value,
    count: m.count,
    threshold: rule.threshold,
    window: { minutes: rule.windowMinutes, from, to: m.at },
    group: m.group,
    trace_list_url: traceListUrl(rule, m.group, from, m.at),
    fired_at: m.at,
  };
}

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** `t=<unix s>,v1=<hex HMAC-SHA256 keyed with the whole secret string, over t + "." + raw body>`. */
export async function signature(secret: string, body: string, unixSeconds: number) {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${unixSeconds}.${body}`));
  return `t=${unixSeconds},v1=${hex(mac)}`;
}

const windowText = (minutes: number) =>
  minutes % 1440 === 0 ? `${minutes / 1440} d` : minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`;

/** One line: "FIRING: Any user over $5 a day — cost 7.2 > 5 over 1 d (user_id=u1)". */
export function summary(p: WebhookPayload) {
  const group = p.group
    ? ` (${Object.entries(p.group)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")})`
    : "";
  const value = p.value === null ? "no value" : String(Number(p.value.toPrecision(6)));
  return `${p.state.toUpperCase()}: ${p.alert.name} — ${p.metric} ${value} ${p.op} ${p.threshold} over ${windowText(p.window.minutes)}${group}`;
}

const slackEscaped = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Slack's incoming-webhook message: a summary line and a link to the filtered trace list. */
export function slackMessage(p: WebhookPayload) {
  const text = `${summary(p)} · project ${p.project.name}`;
  return {
    text,
    blocks: [
      // Slack's mrkdwn reads <, > and & as markup: escaped as its docs say, so "cost 7 > 5" keeps its comparison.
      { type: "section", text: { type: "mrkdwn", text: `*${slackEscaped(text)}*` } },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: `<${p.trace_list_url}|View the traces> · delivery ${p.delivery_id}` }],
      },
    ],
  };
}

/** The email's subject and plain-text body. */
export function emailMessage(p: WebhookPayload) {
  return {
    subject: `[WatchLLM] ${summary(p)}`,
    text: `${summary(p)}\nProject: ${p.project.name}\nEvents in the window: ${p.count}\n\nTraces: ${p.trace_list_url}\n\nDelivery ${p.delivery_id}\n`,
  };
}
