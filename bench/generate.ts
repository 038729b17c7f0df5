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
