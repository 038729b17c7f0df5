// End to end with the real libraries: each one exports over OTLP/HTTP to the Worker under `wrangler dev`, and the
// trace API (secret key) shows the tree, types, tokens (counted once), cost and user/session.
import { describe, expect, inject, it } from "vitest";
import { recorded } from "../support/fake-upstream.ts";
import { type Outcome, runLangfuse, runOpenInference, runOtlpExporter, runVercelAi, type Target } from "./scenarios.ts";

const { base, ingestKey, secretKey } = inject("otel");
const target: Target = { base, headers: { Authorization: `Bearer ${ingestKey}` } };

type TreeEvent = {
  event_id: string;
  parent_event_id: string | null;
  type: string;
  name: string;
  status: string;
  input_tokens: number | null;
  cost_usd: number | null;
};
type Tree = {
  trace: Record<string, unknown> & { total_cost: number; tags: string[]; models: string[] };
  events: TreeEvent[];
};

/** Waits (with a deadline) until the trace holds `spans` events, then returns it. */
async function traceOf(traceId: string, spans: number): Promise<Tree> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await fetch(`${base}/api/v1/traces/${traceId}`, { headers: { Authorization: `Bearer ${secretKey}` } });
    const body = res.status === 200 ? ((await res.json()) as Tree) : null;
    if (body && body.events.length >= spans) return body;
    if (Date.now() > deadline)
      throw new Error(`trace ${traceId} has ${body?.events.length ?? "no"} events, expected ${spans}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Parent → child edges by name (siblings in the same millisecond have no fixed order). */
function edges(tree: Tree): string[] {
  const names = new Map(tree.events.map((e) => [e.event_id, e.name]));
  return tree.events.map((e) => `${names.get(e.parent_event_id ?? "") ?? "-"} > ${e.type} ${e.name}`).sort();
}

function only(outcome: Outcome): string {
  expect(outcome.traceIds).toHaveLength(1);
  return outcome.traceIds[0]!;
}

describe("OTLP/HTTP from the real libraries", () => {
  for (const encoding of ["json", "protobuf"] as const) {
    it(`@opentelemetry/exporter-trace-otlp-${encoding === "json" ? "http" : "proto"} (gzip): a hand-instrumented agent`, async () => {
      const outcome = await runOtlpExporter(target, encoding, `u-otlp-${encoding}`);
      const tree = await traceOf(only(outcome), 6);
      expect(edges(tree)).toEqual([
        "- > span support-agent",
        "chat gpt-4o-mini > log cache warm",
        "notify > error TypeError",
        "support-agent > model_response chat gpt-4o-mini",
        "support-agent > span notify",
        "support-agent > tool_call execute_tool lookup_order",
      ]);
      expect(tree.trace).toMatchObject({
        user_id: `u-otlp-${encoding}`,
        session_id: "s-otel",
        input_tokens: 1200,
        output_tokens: 300,
        cached_input_tokens: 1000,
        error_count: 2,
      });
      // gpt-4o-mini from the price table: 200 uncached input + 1000 cached input + 300 output tokens.
      expect(tree.trace.total_cost).toBeCloseTo((200 * 0.15 + 1000 * 0.075 + 300 * 0.6) / 1e6, 9);
    });
  }

  it("Vercel ai with experimental_telemetry (ai.* spans): generateText with a tool call, streamText, embed", async () => {
    const outcome = await runVercelAi(target, "legacy", "u-vercel-legacy");
    expect(outcome.traceIds).toHaveLength(3);
    const [generate, stream] = await Promise.all([traceOf(outcome.traceIds[0]!, 4), traceOf(outcome.traceIds[1]!, 2)]);
    expect(edges(generate)).toEqual([
      "- > span weather-bot",
      "ai.generateText.doGenerate > tool_call ai.toolCall",
      "weather-bot > model_response ai.generateText.doGenerate",
      "weather-bot > model_response ai.generateText.doGenerate",
    ]);
    // The outer ai.generateText carries ai.usage.* totals too: counted once, from the two model calls.
    expect(generate.trace).toMatchObject({
      user_id: "u-vercel-legacy",
      session_id: "s-vercel",
      input_tokens: 250,
      output_tokens: 30,
      cached_input_tokens: 50,
    });
    expect(generate.trace.total_cost).toBeGreaterThan(0);
    // The outer spans take the user's functionId as their name (and so the trace's).
    expect(generate.trace.name).toBe("weather-bot");
    expect(edges(stream)).toEqual(["- > span weather-bot", "weather-bot > model_response ai.streamText.doStream"]);
    expect(stream.trace).toMatchObject({ input_tokens: 30, output_tokens: 5 });
  });

  it("Vercel ai through @ai-sdk/otel's gen_ai spans: agent, steps, chat and execute_tool", async () => {
    const outcome = await runVercelAi(target, "semconv", "u-vercel-semconv");
    const generate = await traceOf(outcome.traceIds[0]!, 6);
    expect(edges(generate)).toEqual([
      "- > span weather-bot",
      "step 1 > model_response chat gpt-4o-mini",
      "step 1 > tool_call execute_tool weather",
      "step 2 > model_response chat gpt-4o-mini",
      "weather-bot > span step 1",
      "weather-bot > span step 2",
    ]);
    // invoke_agent repeats its children's gen_ai.usage.* totals: still counted once.
    expect(generate.trace).toMatchObject({
      user_id: "u-vercel-semconv",
      session_id: "s-vercel",
      input_tokens: 250,
      output_tokens: 30,
    });
  });

  it("OpenInference around the real openai client (chat, stream, tool call, embeddings) against a fake upstream", async () => {
    const outcome = await runOpenInference(target, "u-openinference");
    const chat = recorded("openai/chat.json").usage;
    const tree = await traceOf(only(outcome), 5);
    expect(edges(tree)).toEqual([
      "- > span rag-pipeline",
      "rag-pipeline > model_response OpenAI Chat Completions",
      "rag-pipeline > model_response OpenAI Chat Completions",
      "rag-pipeline > model_response OpenAI Chat Completions",
      "rag-pipeline > model_response OpenAI Embeddings",
    ]);
    expect(tree.trace).toMatchObject({
      user_id: "u-openinference",
      session_id: "s-oi",
      // The recorded chat answer twice (plain and tool call); OpenInference records neither a stream's usage nor
      // embeddings' tokens.
      input_tokens: 2 * chat.prompt_tokens,
      output_tokens: 2 * chat.completion_tokens,
      cached_input_tokens: 2 * chat.prompt_tokens_details.cached_tokens,
    });
    expect(tree.trace.total_cost).toBeGreaterThan(0);
    expect(tree.trace.models).toEqual(expect.arrayContaining(["gpt-4o-mini-2024-07-18", "text-embedding-3-small"]));
  });

  it("@langfuse/tracing + @langfuse/otel on Langfuse's OTel path with Basic auth", async () => {
    const outcome = await runLangfuse(
      { base, headers: {}, publicKey: "pk-lf-anything", secretKey: ingestKey },
      "u-langfuse",
    );
    const tree = await traceOf(only(outcome), 4);
    expect(edges(tree)).toEqual([
      "- > span qa-run",
      "qa-run > log warned",
      "qa-run > model_response answer",
      "qa-run > tool_call search",
    ]);
    expect(tree.trace).toMatchObject({
      user_id: "u-langfuse",
      session_id: "s-lf",
      input_tokens: 20,
      output_tokens: 5,
      total_cost: 0.0042,
      error_count: 1,
    });
    expect(tree.trace.tags).toEqual(["beta", "lf"]);
    expect(tree.events.find((e) => e.name === "answer")).toMatchObject({ cost_usd: 0.0042 });
  });
});
