// Demo traces for `npm start`: an agent with tool calls, a RAG pipeline, a failed run, a 1,000-span trace and 30 days
// of ordinary traffic. Event ids are fixed, so loading twice stores nothing new (ingest is idempotent).
import { generateTrace, rng, type WireEvent } from "../bench/generate.ts";

type Step = Omit<WireEvent, "event_id" | "trace_id" | "timestamp"> & { id: string; at: number; children?: Step[] };

function flatten(traceId: string, start: number, step: Step, parent: string | null, out: WireEvent[] = []) {
  const { id, at, children, ...fields } = step;
  out.push({
    ...fields,
    event_id: `${traceId}:${id}`,
    trace_id: traceId,
    parent_event_id: parent,
    timestamp: start + at,
  });
  for (const child of children ?? []) flatten(traceId, start, child, `${traceId}:${id}`, out);
  return out;
}

const user = (id: string, session: string) => ({ context: { user_id: id, session_id: session } });

function supportAgent(start: number) {
  return flatten(
    "demo-support-agent",
    start,
    {
      id: "root",
      at: 0,
      type: "span",
      name: "support-agent",
      duration_ms: 6400,
      ...user("alice@acme.io", "chat-1042"),
      body: {
        input: "I was charged twice for order #8841, can I get a refund?",
        output: "Refund of $49.00 issued for the duplicate charge on order #8841.",
      },
      children: [
        {
          id: "plan",
          at: 40,
          type: "model_response",
          name: "plan",
          model: "gpt-4o",
          provider: "openai",
          duration_ms: 1450,
          usage: { input_tokens: 1820, output_tokens: 96, cached_input_tokens: 1024 },
          body: {
            input: [
              { role: "system", content: "You are Acme's support agent. Use tools." },
              { role: "user", content: "I was charged twice for order #8841, can I get a refund?" },
            ],
            output: { tool_calls: [{ name: "lookup_order", arguments: { order_id: "8841" } }] },
          },
        },
        {
          id: "lookup",
          at: 1520,
          type: "tool_call",
          name: "lookup_order",
          duration_ms: 310,
          body: {
            input: { order_id: "8841" },
            output: {
              status: "paid",
              charges: [
                { id: "ch_1", amount: 49 },
                { id: "ch_2", amount: 49 },
              ],
            },
          },
        },
        {
          id: "policy",
          at: 1850,
          type: "tool_call",
          name: "search_refund_policy",
          duration_ms: 620,
          children: [
            {
              id: "embed",
              at: 1860,
              type: "model_response",
              name: "embed query",
              model: "text-embedding-3-small",
              provider: "openai",
              duration_ms: 120,
              usage: { input_tokens: 14, output_tokens: 0 },
              body: { input: "duplicate charge refund policy" },
            },
          ],
          body: {
            input: { query: "duplicate charge refund policy" },
            output: ["Duplicate charges are refunded in full within 5 business days."],
          },
        },
        {
          id: "refund",
          at: 2500,
          type: "tool_call",
          name: "issue_refund",
          duration_ms: 880,
          body: { input: { charge_id: "ch_2", amount: 49 }, output: { refund_id: "re_77", status: "succeeded" } },
        },
        {
          id: "answer",
          at: 3420,
          type: "model_response",
          name: "answer",
          model: "gpt-4o",
          provider: "openai",
          duration_ms: 2900,
          usage: { input_tokens: 2410, output_tokens: 188, cached_input_tokens: 1792 },
          body: {
            input: [{ role: "tool", content: "refund re_77 succeeded" }],
            output:
              "Refund of $49.00 issued for the duplicate charge on order #8841. It will appear within 5 business days.",
          },
        },
        {
          id: "log",
          at: 6350,
          type: "log",
          name: "ticket closed",
          body: { message: "ticket #5521 closed automatically", data: { csat_prompted: true } },
        },
      ],
    },
    null,
  );
}

/** The same agent on a slower day: the refund tool times out once and is retried, and the answer comes from a
 * fine-tuned model the price table doesn't know (the costs page asks for its price). Compare it with the first run. */
function supportAgentRetry(start: number) {
  const id = "demo-support-agent-retry";
  const shift = (at: number) => (at >= 2500 ? at + 1900 : at);
  const events = supportAgent(start).map((e) => ({
    ...e,
    event_id: e.event_id.replace("demo-support-agent", id),
    trace_id: id,
    parent_event_id: (e.parent_event_id as string | null)?.replace("demo-support-agent", id) ?? null,
    timestamp: start + shift((e.timestamp as number) - start),
    ...(e.name === "support-agent" && {
      duration_ms: 8300,
      context: { user_id: "carol@initech.com", session_id: "chat-1043" },
    }),
    ...(e.name === "answer" && {
      model: "ft:gpt-4o-mini:acme:support-v2",
      usage: { input_tokens: 2410, output_tokens: 240 },
    }),
  }));
  const root = `${id}:root`;
  return [
    ...events,
    {
      event_id: `${id}:refund-timeout`,
      trace_id: id,
      parent_event_id: root,
      type: "tool_call" as const,
      name: "issue_refund",
      timestamp: start + 2500,
      duration_ms: 1800,
      status: "error" as const,
      body: { input: { charge_id: "ch_2", amount: 49 }, output: { error: "payments API timed out after 1.8 s" } },
    },
  ];
}

function ragPipeline(start: number) {
  return flatten(
    "demo-rag-pipeline",
    start,
    {
      id: "root",
      at: 0,
      type: "span",
      name: "rag-pipeline",
      duration_ms: 4100,
      ...user("bob@globex.com", "docs-search-77"),
      body: {
        input: "How do I rotate API keys without downtime?",
        output: "Create a second key, deploy it, then revoke the old one.",
      },
      children: [
        {
          id: "retrieve",
          at: 10,
          type: "span",
          name: "retrieve",
          duration_ms: 900,
          children: [
            {
              id: "embed",
              at: 15,
              type: "model_response",
              name: "embed",
              model: "text-embedding-3-large",
              provider: "openai",
              duration_ms: 180,
              usage: { input_tokens: 11, output_tokens: 0 },
              body: { input: "rotate API keys without downtime" },
            },
            {
              id: "search",
              at: 200,
              type: "tool_call",
              name: "vector_search",
              duration_ms: 540,
              body: {
                input: { top_k: 8 },
                output: [
                  { doc: "keys.md#rotation", score: 0.91 },
                  { doc: "deploy.md", score: 0.77 },
                ],
              },
            },
          ],
        },
        {
          id: "rerank",
          at: 920,
          type: "model_response",
          name: "rerank",
          model: "rerank-v3.5",
          provider: "cohere",
          duration_ms: 260,
          usage: { input_tokens: 3900, output_tokens: 0 },
          body: { input: "8 passages", output: ["keys.md#rotation", "deploy.md"] },
        },
        {
          id: "generate",
          at: 1200,
          type: "model_response",
          name: "generate",
          model: "claude-sonnet-4",
          provider: "anthropic",
          duration_ms: 2850,
          usage: { input_tokens: 5200, output_tokens: 310, cached_input_tokens: 4096, cache_write_tokens: 0 },
          body: {
            input: [
              {
                role: "user",
                content: "Context: keys.md#rotation ... Question: How do I rotate API keys without downtime?",
              },
            ],
            output:
              "Create a second key, deploy it everywhere, then revoke the old one. Revocation takes effect immediately.",
          },
        },
      ],
    },
    null,
  );
}

function failedRun(start: number) {
  return flatten(
    "demo-failed-run",
    start,
    {
      id: "root",
      at: 0,
      type: "span",
      name: "invoice-extractor",
      status: "error",
      duration_ms: 2300,
      ...user("carol@initech.com", "batch-2026-11"),
      body: { input: { file: "invoice-3312.pdf" } },
      children: [
        {
          id: "ocr",
          at: 20,
          type: "tool_call",
          name: "parse_pdf",
          duration_ms: 700,
          body: { input: { file: "invoice-3312.pdf" }, output: { pages: 2, chars: 4120 } },
        },
        {
          id: "extract",
          at: 730,
          type: "model_response",
          name: "extract fields",
          model: "gpt-4o-mini",
          provider: "openai",
          duration_ms: 1400,
          usage: { input_tokens: 1500, output_tokens: 220 },
          body: {
            input: "Extract total, due date, vendor as JSON",
            output: '{"total": "1,204.00 EUR", "due": "next Friday"}',
          },
        },
        {
          id: "error",
          at: 2140,
          type: "error",
          name: "ValidationError",
          status: "error",
          body: {
            message: 'due: expected ISO-8601 date, got "next Friday"',
            error_type: "ValidationError",
            stack:
              "ValidationError: due: expected ISO-8601 date\n    at validateInvoice (extract.ts:88:13)\n    at run (pipeline.ts:41:5)",
          },
        },
      ],
    },
    null,
  );
}

/** A 1,000-event evaluation run: 50 cases, each a span with model calls, a tool call and a log. */
function bigTrace(start: number) {
  const cases: Step[] = Array.from({ length: 50 }, (_, i) => ({
    id: `case-${i}`,
    at: i * 400,
    type: "span",
    name: `eval case ${i + 1}`,
    duration_ms: 380,
    children: Array.from({ length: 19 }, (_, j): Step => {
      const at = i * 400 + j * 20;
      if (j % 5 === 4)
        return {
          id: `case-${i}-log-${j}`,
          at,
          type: "log",
          name: "score",
          body: { message: `score ${((i * 7 + j) % 10) / 10}` },
        };
      if (j % 3 === 2)
        return {
          id: `case-${i}-tool-${j}`,
          at,
          type: "tool_call",
          name: "lookup",
          duration_ms: 15,
          body: { input: { case: i }, output: "ok" },
        };
      return {
        id: `case-${i}-llm-${j}`,
        at,
        type: "model_response",
        name: "grade",
        model: "gpt-4o-mini",
        provider: "openai",
        duration_ms: 18,
        usage: { input_tokens: 300 + j, output_tokens: 20 },
        body: { input: `case ${i} step ${j}`, output: "pass" },
      };
    }),
  }));
  return flatten(
    "demo-eval-1000",
    start,
    {
      id: "root",
      at: 0,
      type: "span",
      name: "nightly-eval",
      duration_ms: 20_000,
      ...user("ci-bot", "nightly-2026-11-24"),
      children: cases,
    },
    null,
  );
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Traces of ordinary traffic: a fixed number (fixed ids), spread over the last 30 days by `trafficTimes`. */
export const TRAFFIC_TRACES = 240;
export const TRAFFIC_DAYS = 30;

/**
 * When each traffic trace starts, shaped like a product's usage: weekdays about three times as busy as weekends, the
 * volume growing by ~80% over the month, and each day's calls around working hours (peaks near 10:00 and 15:00 UTC).
 * Today only has the hours that have passed. Sorted, all before `now`.
 */
export function trafficTimes(now: number, rand: () => number): number[] {
  const today = now - (now % DAY_MS);
  const days = Array.from({ length: TRAFFIC_DAYS }, (_, i) => today - (TRAFFIC_DAYS - 1 - i) * DAY_MS);
  const weight = days.map((start, i) => {
    const weekday = new Date(start).getUTCDay();
    const busy = weekday === 0 || weekday === 6 ? 0.35 : 1;
    const sofar = start === today ? Math.max(0.05, (now - today) / DAY_MS) : 1;
    return busy * (1 + (0.8 * i) / (TRAFFIC_DAYS - 1)) * sofar;
  });
  const total = weight.reduce((a, b) => a + b, 0);
  const times: number[] = [];
  days.forEach((start, i) => {
    const count =
      i === days.length - 1 ? TRAFFIC_TRACES - times.length : Math.round((TRAFFIC_TRACES * weight[i]!) / total);
    const end = Math.min(start + DAY_MS, now - 60_000);
    for (let k = 0; k < count && times.length < TRAFFIC_TRACES; k++) {
      // Two humps of working hours, spread by a sum of uniforms (roughly normal, ± 3 h).
      const hour = (rand() < 0.55 ? 10 : 15) + (rand() + rand() + rand() - 1.5) * 2;
      const at = start + Math.min(Math.max(hour, 0), 23.9) * HOUR_MS + rand() * 60_000;
      times.push(at < end ? at : start + rand() * (end - start));
    }
  });
  return times.sort((a, b) => a - b);
}

export function demoEvents(now: number): WireEvent[] {
  const rand = rng(7);
  // 30 days of traffic from 8 users in 12 conversations, so Costs, Sessions and Users have something to add up.
  const traffic = trafficTimes(now, rand)
    .flatMap((start, i) =>
      generateTrace(rand, 900_000 + i, start, 4 + (i % 6)).map(
        (e): WireEvent => ({
          ...e,
          ...(e.context
            ? {
                context: {
                  ...(e.context as object),
                  user_id: `user-${(i % 12) % 8}`,
                  session_id: `conversation-${i % 12}`,
                },
              }
            : {}),
        }),
      ),
    )
    .map((e) => ({
      ...e,
      event_id: `demo-${e.event_id}`,
      trace_id: `demo-${e.trace_id}`,
      parent_event_id: e.parent_event_id ? `demo-${e.parent_event_id}` : null,
    }));
  return [
    ...supportAgent(now - 60 * 60_000),
    ...supportAgentRetry(now - 20 * 60_000),
    ...ragPipeline(now - 45 * 60_000),
    ...failedRun(now - 30 * 60_000),
    ...bigTrace(now - 3 * 60 * 60_000),
    ...traffic,
  ];
}

const INTENTS = ["how-to", "billing", "bug", "feature request"];

/**
 * End users' thumbs on most traffic traces, an SDK check's `groundedness` (0–1, drifting down this week) and an
 * `intent` label, each a few seconds after its trace: what the Overview, Sessions and Users pages show of scores.
 * Only sources the browser-safe ingest key may send (`feedback`, `sdk`); fixed ids, so loading twice replaces.
 */
export function demoScores(now: number) {
  const rand = rng(11);
  const roots = demoEvents(now).filter((e) => e.trace_id.startsWith("demo-") && !e.parent_event_id);
  return roots.flatMap((root, i) => {
    const at = Math.min(Number(root.timestamp) + 5_000, now);
    const context = { user_id: (root.context as { user_id?: string } | undefined)?.user_id ?? null };
    const late = at > now - 7 * DAY_MS;
    const base = { trace_id: root.trace_id, timestamp: at, context };
    return [
      ...(rand() < 0.7
        ? [{ ...base, score_id: `${root.trace_id}:thumbs`, name: "thumbs", value: rand() < 0.8, source: "feedback" }]
        : []),
      {
        ...base,
        score_id: `${root.trace_id}:groundedness`,
        name: "groundedness",
        value: Math.round((late ? 0.6 + rand() * 0.3 : 0.75 + rand() * 0.25) * 100) / 100,
        source: "sdk",
      },
      { ...base, score_id: `${root.trace_id}:intent`, name: "intent", value: INTENTS[i % 4]!, source: "sdk" },
    ];
  });
}

/** Posts the demo events (and scores) through the real ingest API (so they take the queue path like any client's). */
export async function loadDemoData(base: string, ingestKey: string) {
  const now = Date.now();
  const events = demoEvents(now);
  for (let i = 0; i < events.length; i += 500) {
    const res = await fetch(`${base}/api/v1/events`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ingestKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ events: events.slice(i, i + 500) }),
    });
    if (res.status !== 202) throw new Error(`demo data: ingest answered ${res.status}: ${await res.text()}`);
  }
  const scores = demoScores(now);
  for (let i = 0; i < scores.length; i += 1000) {
    const res = await fetch(`${base}/api/v1/scores`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ingestKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ scores: scores.slice(i, i + 1000) }),
    });
    const answer = (await res.json()) as { rejected?: unknown[] };
    if (res.status !== 202 || answer.rejected?.length)
      throw new Error(`demo data: scores answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
  }
  return events.length;
}

/** Resolves once every demo trace has arrived whole (the queue delivers asynchronously); fails after `timeoutMs`. */
export async function waitForDemoData(base: string, secretKey: string, timeoutMs = 240_000) {
  const expected = new Map<string, number>();
  for (const e of demoEvents(Date.now())) expected.set(e.trace_id, (expected.get(e.trace_id) ?? 0) + 1);
  const deadline = Date.now() + timeoutMs;
  const spans = async (traceId: string) => {
    const res = await fetch(`${base}/api/v1/traces/${encodeURIComponent(traceId)}`, {
      headers: { Authorization: `Bearer ${secretKey}` },
    });
    return res.ok ? ((await res.json()) as { trace: { span_count: number } }).trace.span_count : 0;
  };
  for (const [traceId, count] of expected) {
    while ((await spans(traceId)) < count) {
      if (Date.now() > deadline) throw new Error(`demo trace ${traceId} did not arrive within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const scored = async () => {
    const q = `view=scores&from=${Date.now() - (TRAFFIC_DAYS + 1) * DAY_MS}&interval=day&limit=100`;
    const res = await fetch(`${base}/api/v1/metrics?${q}`, { headers: { Authorization: `Bearer ${secretKey}` } });
    const answer = res.ok ? ((await res.json()) as { series: Array<{ total: { count: number } }> }) : { series: [] };
    return answer.series.reduce((n, s) => n + s.total.count, 0);
  };
  const scores = demoScores(Date.now()).length;
  while ((await scored()) < scores) {
    if (Date.now() > deadline) throw new Error(`demo scores did not all arrive within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
