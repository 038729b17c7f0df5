// Deterministic synthetic traces for benchmarks: an agent run with model calls, tool calls, logs and some errors.
export type WireEvent = Record<string, unknown> & { event_id: string; trace_id: string };

export function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODELS = [
  ["gpt-4o", "openai"],
  ["gpt-4o-mini", "openai"],
  ["claude-sonnet-4", "anthropic"],
  ["gemini-2.5-pro", "google"],
] as const;
const TOOLS = ["web_search", "sql_query", "read_file", "calculator"];
const WORDS =
  "the model answered the user about invoices refunds latency embeddings retrieval context window budget".split(" ");

function text(rand: () => number, words: number) {
  return Array.from({ length: words }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(" ");
}

/** One trace of `spans` events (≥ 2) starting at `start`; bodies average ~600 bytes. */
export function generateTrace(rand: () => number, traceNo: number, start: number, spans = 10): WireEvent[] {
  const traceId = `bench-${traceNo.toString(36)}`;
  const rootId = `${traceId}-0`;
  const user = `user-${Math.floor(rand() * 500)}`;
  const session = `session-${Math.floor(rand() * 5000)}`;
  const failed = rand() < 0.05;
  const events: WireEvent[] = [
    {
      event_id: rootId,
      trace_id: traceId,
      parent_event_id: null,
      type: "span",
      name: rand() < 0.5 ? "support-agent" : "rag-pipeline",
      timestamp: start,
      duration_ms: 200 * spans,
      status: failed ? "error" : "ok",
      // The ticket number is a rare word, as an order id or customer name would be in real traffic.
      body: { input: `${text(rand, 20)} (ticket ${traceNo})`, output: text(rand, 30) },
      context: { user_id: user, session_id: session, tags: ["bench"] },
    },
  ];
  for (let i = 1; i < spans; i++) {
    const kind =
      i === spans - 1 && failed ? "error" : rand() < 0.45 ? "model_response" : rand() < 0.8 ? "tool_call" : "log";
    const base = {
      event_id: `${traceId}-${i}`,
      trace_id: traceId,
      parent_event_id: rootId,
      timestamp: start + i * 150,
      duration_ms: Math.floor(rand() * 140),
    };
    if (kind === "model_response") {
      const [model, provider] = MODELS[Math.floor(rand() * MODELS.length)]!;
      const input = 200 + Math.floor(rand() * 2000);
      const output = 20 + Math.floor(rand() * 400);
      events.push({
        ...base,
        type: "model_response",
        name: "chat",
        model,
        provider,
        usage: { input_tokens: input, output_tokens: output, cached_input_tokens: Math.floor(input * rand() * 0.5) },
        cost_usd: (input * 2.5 + output * 10) / 1e6,
        body: { input: [{ role: "user", content: text(rand, 40) }], output: text(rand, 40) },
        context: { user_id: user, session_id: session },
      });
    } else if (kind === "tool_call") {
      events.push({
        ...base,
        type: "tool_call",
        name: TOOLS[Math.floor(rand() * TOOLS.length)]!,
        body: { input: { query: text(rand, 8) }, output: text(rand, 50) },
      });
    } else if (kind === "log") {
      events.push({ ...base, type: "log", name: "log", body: { message: text(rand, 15) } });
    } else {
      events.push({
        ...base,
        type: "error",
        name: "ToolError",
        status: "error",
        body: {
          message: "upstream timed out",
          stack: "Error: upstream timed out\n    at call (agent.ts:42:11)",
          error_type: "TimeoutError",
        },
      });
    }
  }
  return events;
}

// A vocabulary of 4,000 made-up words picked with a skew (a few common, many rare), so search-index and compression
// figures look like real prose rather than 15 words repeated.
const SYLLABLES = "ka lo mi ne ru sa ti vo be da fe gi hu jo pe qua re si to vu wa xe yo ze".split(" ");
const VOCABULARY = Array.from({ length: 4000 }, (_, i) => {
  let word = "";
  for (let n = i + 1; n > 0; n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length];
  return word;
});

/** Prose of about `bytes` bytes (ASCII), sentences of made-up words. */
function prose(rand: () => number, bytes: number) {
  const words: string[] = [];
  let size = 0;
  while (size < bytes) {
    const word = VOCABULARY[Math.floor(VOCABULARY.length * rand() ** 3)]!;
    words.push(rand() < 0.08 ? `${word}.` : word);
    size += word.length + 1;
  }
  return words.join(" ");
}

const between = (rand: () => number, min: number, max: number) => Math.floor(min + rand() * (max - min));

/** A system prompt per agent, repeated in every call of its traces, as in production. */
const SYSTEM_PROMPTS = Array.from({ length: 4 }, (_, i) => prose(rng(1000 + i), 1200 + i * 500));

/**
 * One trace of typical production traffic, ~8 events: an agent span; chat model calls whose prompts (system prompt,
 * history, retrieved context) are 2–20 KB and outputs 0.5–8 KB; tool calls with 0.2–6 KB results; a retrieval span;
 * logs. The bodies are what the SDKs send for each kind.
 */
export function generateChatTrace(rand: () => number, traceNo: number, start: number): WireEvent[] {
  const traceId = `chat-${traceNo.toString(36)}`;
  const rootId = `${traceId}-0`;
  const context = { user_id: `user-${Math.floor(rand() * 500)}`, session_id: `session-${Math.floor(rand() * 5000)}` };
  const system = SYSTEM_PROMPTS[traceNo % SYSTEM_PROMPTS.length]!;
  const question = `${prose(rand, between(rand, 80, 600))} (ticket ${traceNo})`;
  const events: WireEvent[] = [];
  let at = start;
  const child = (i: number, duration: number) => {
    at += duration;
    return { event_id: `${traceId}-${i}`, trace_id: traceId, parent_event_id: rootId, timestamp: at - duration };
  };
  const calls = between(rand, 2, 5);
  for (let c = 0, i = 1; c < calls; c++) {
    const promptBytes = between(rand, 2_000, 20_000);
    const history = prose(rand, Math.max(0, promptBytes - system.length - question.length));
    const [model, provider] = MODELS[Math.floor(rand() * MODELS.length)]!;
    const output = prose(rand, between(rand, 500, 8_000));
    const input = Math.round(promptBytes / 4);
    events.push({
      ...child(i++, between(rand, 400, 6_000)),
      type: "model_response",
      name: "chat",
      model,
      provider,
      usage: { input_tokens: input, output_tokens: Math.round(output.length / 4) },
      body: {
        input: [
          { role: "system", content: system },
          { role: "user", content: history },
          { role: "user", content: question },
        ],
        output: [{ role: "assistant", content: output }],
        params: { temperature: 0.2, max_tokens: 2048 },
      },
      context,
    });
    if (c === calls - 1) break;
    const tool = TOOLS[Math.floor(rand() * TOOLS.length)]!;
    events.push({
      ...child(i++, between(rand, 20, 800)),
      type: "tool_call",
      name: tool,
      body: { input: { query: prose(rand, 60) }, output: prose(rand, between(rand, 200, 6_000)) },
    });
    if (rand() < 0.5)
      events.push({
        ...child(i++, 0),
        type: "log",
        name: "log",
        body: { message: prose(rand, between(rand, 60, 300)) },
      });
    if (rand() < 0.4)
      events.push({
        ...child(i++, between(rand, 30, 300)),
        type: "span",
        name: "retrieve",
        body: { input: { query: prose(rand, 60), k: 5 }, output: { documents: 5, ids: [1, 2, 3, 4, 5] } },
      });
  }
  events.unshift({
    event_id: rootId,
    trace_id: traceId,
    parent_event_id: null,
    type: "span",
    name: "support-agent",
    timestamp: start,
    duration_ms: at - start,
    status: "ok",
    body: { input: question, output: prose(rand, between(rand, 300, 2_000)) },
    context: { ...context, tags: ["bench"] },
  });
  return events;
}

/**
 * `count` events of one of the benches' two mixes, the same every run: `small` (~745-byte spans, model and tool calls,
 * logs, from seed 42) or `chat` (chat traces with 2–20 KB prompts, from seed 7).
 */
export function eventMix(mix: "small" | "chat", count: number): WireEvent[] {
  const rand = rng(mix === "small" ? 42 : 7);
  const events: WireEvent[] = [];
  for (let t = 0; events.length < count; t++)
    events.push(
      ...(mix === "small"
        ? generateTrace(rand, t, 1_764_000_000_000 + t * 1000)
        : generateChatTrace(rand, t, 1_764_000_000_000 + t * 60_000)),
    );
  events.length = count;
  return events;
}

/**
 * Sends one generated trace through `base`'s ingest API (1,000 events a request) and waits until its trace reads
 * back with all `spans` spans (what the dashboard benches then open).
 */
export async function storeTrace(
  base: string,
  keys: { ingest: string; secret: string },
  events: WireEvent[],
  spans: number,
) {
  for (let i = 0; i < events.length; i += 1000) {
    const sent = await fetch(`${base}/api/v1/events`, {
      method: "POST",
      headers: { Authorization: `Bearer ${keys.ingest}`, "Content-Type": "application/json" },
      body: JSON.stringify({ events: events.slice(i, i + 1000) }),
    });
    if (sent.status !== 202) throw new Error(`ingest answered ${sent.status}`);
  }
  for (let i = 0; i < 600; i++) {
    const r = await fetch(`${base}/api/v1/traces/${events[0]!.trace_id}`, {
      headers: { Authorization: `Bearer ${keys.secret}` },
    });
    if (r.ok && ((await r.json()) as { trace: { span_count: number } }).trace.span_count === spans) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}
