// Runs each real instrumentation library once and exports its spans over OTLP/HTTP to `target`: used by the
// end-to-end tests (target = the Worker under wrangler dev) and by `capture-fixtures.ts` (target = a recorder).
import { LegacyOpenTelemetry, OpenTelemetry } from "@ai-sdk/otel";
import { OpenAIInstrumentation } from "@arizeai/openinference-instrumentation-openai";
import { LangfuseSpanProcessor } from "@langfuse/otel";
import {
  propagateAttributes,
  setLangfuseTracerProvider,
  startActiveObservation,
  startObservation,
} from "@langfuse/tracing";
import { context, SpanStatusCode, type Tracer } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { embed, generateText, isStepCount, streamText, tool } from "ai";
import { MockEmbeddingModelV4, MockLanguageModelV4 } from "ai/test";
import OpenAI from "openai";
import { z } from "zod";
import { startFakeUpstream } from "../support/fake-upstream.ts";

export type Target = { base: string; headers: Record<string, string> };
export type Outcome = { traceIds: string[]; spans: number };

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

/** Remembers the trace ids and span count of what a provider exported. */
class Recorder implements SpanProcessor {
  readonly traceIds = new Set<string>();
  spans = 0;
  onStart() {}
  onEnd(span: ReadableSpan) {
    this.traceIds.add(span.spanContext().traceId);
    this.spans += 1;
  }
  forceFlush() {
    return Promise.resolve();
  }
  shutdown() {
    return Promise.resolve();
  }
  outcome(): Outcome {
    return { traceIds: [...this.traceIds], spans: this.spans };
  }
}

function provider(service: string, exporter: SpanExporter | SpanProcessor) {
  const recorder = new Recorder();
  const processor = "onEnd" in exporter ? exporter : new BatchSpanProcessor(exporter);
  const tracerProvider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": service, "deployment.environment.name": "test" }),
    spanProcessors: [processor, recorder],
  });
  return { tracerProvider, recorder, tracer: tracerProvider.getTracer(`watchllm-test-${service}`, "1.0.0") };
}

const tracesUrl = (target: Target, base = "/api/v1/otel") => `${target.base}${base}/v1/traces`;

/** A hand-instrumented agent using the current gen_ai conventions: chat, tool, a failing step, a log event. */
async function manualAgent(tracer: Tracer, userId: string) {
  await tracer.startActiveSpan(
    "support-agent",
    { attributes: { "user.id": userId, "session.id": "s-otel" } },
    async (root) => {
      await tracer.startActiveSpan("chat gpt-4o-mini", async (chat) => {
        chat.setAttributes({
          "gen_ai.operation.name": "chat",
          "gen_ai.provider.name": "openai",
          "gen_ai.request.model": "gpt-4o-mini",
          "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
          "gen_ai.usage.input_tokens": 1200,
          "gen_ai.usage.output_tokens": 300,
          "gen_ai.usage.cache_read.input_tokens": 1000,
          "gen_ai.system_instructions": JSON.stringify([{ type: "text", content: "You are a support agent." }]),
          "gen_ai.input.messages": JSON.stringify([
            { role: "user", parts: [{ type: "text", content: "Where is order 42?" }] },
          ]),
          "gen_ai.output.messages": JSON.stringify([
            {
              role: "assistant",
              parts: [{ type: "tool_call", id: "c1", name: "lookup_order", arguments: { id: 42 } }],
            },
          ]),
        });
        chat.addEvent("cache warm", { "cache.hit": true });
        chat.end();
      });
      await tracer.startActiveSpan("execute_tool lookup_order", async (toolSpan) => {
        toolSpan.setAttributes({
          "gen_ai.operation.name": "execute_tool",
          "gen_ai.tool.name": "lookup_order",
          "gen_ai.tool.call.id": "c1",
          "gen_ai.tool.call.arguments": JSON.stringify({ id: 42 }),
          "gen_ai.tool.call.result": JSON.stringify({ status: "shipped" }),
        });
        toolSpan.end();
      });
      await tracer.startActiveSpan("notify", async (failing) => {
        const error = new TypeError("mailer offline");
        failing.recordException(error);
        failing.setStatus({ code: SpanStatusCode.ERROR, message: "mailer offline" });
        failing.end();
      });
      root.end();
    },
  );
}

/** `@opentelemetry/exporter-trace-otlp-http` (JSON) or `-proto` (protobuf, gzip) around a hand-instrumented agent. */
export async function runOtlpExporter(
  target: Target,
  encoding: "json" | "protobuf",
  userId = "u-otel",
): Promise<Outcome> {
  const options = { url: tracesUrl(target), headers: target.headers, compression: "gzip" as never };
  const exporter = encoding === "json" ? new JsonExporter(options) : new ProtoExporter(options);
  const { tracerProvider, recorder, tracer } = provider(`otlp-${encoding}`, exporter);
  await manualAgent(tracer, userId);
  await tracerProvider.forceFlush();
  await tracerProvider.shutdown();
  return recorder.outcome();
}

const usage = (input: number, output: number, cacheRead = 0) => ({
  inputTokens: { total: input, noCache: input - cacheRead, cacheRead, cacheWrite: 0 },
  outputTokens: { total: output, text: output, reasoning: 0 },
});

function mockModel() {
  return new MockLanguageModelV4({
    provider: "openai.chat",
    modelId: "gpt-4o-mini",
    doGenerate: [
      {
        content: [
          { type: "tool-call", toolCallId: "call-1", toolName: "weather", input: JSON.stringify({ city: "Paris" }) },
        ],
        finishReason: { unified: "tool-calls", raw: "tool_calls" },
        usage: usage(100, 20, 50),
        warnings: [],
      },
      {
        content: [{ type: "text", text: "It is 21°C in Paris." }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: usage(150, 10),
        warnings: [],
      },
    ],
    doStream: {
      stream: new ReadableStream({
        start(controller) {
          for (const part of [
            { type: "stream-start", warnings: [] },
            { type: "text-start", id: "t1" },
            { type: "text-delta", id: "t1", delta: "Hello" },
            { type: "text-delta", id: "t1", delta: " world" },
            { type: "text-end", id: "t1" },
            { type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage: usage(30, 5) },
          ]) {
            controller.enqueue(part as never);
          }
          controller.close();
        },
      }),
    },
  });
}

const weather = tool({
  description: "Current weather",
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => ({ city, celsius: 21 }),
});

/**
 * Vercel `ai` (7.x) with its mock model and `experimental_telemetry`, through `@ai-sdk/otel`: `legacy` emits the
 * `ai.*` spans (ai.generateText → ai.generateText.doGenerate, ai.toolCall), `semconv` the gen_ai ones.
 */
export async function runVercelAi(
  target: Target,
  flavour: "legacy" | "semconv",
  userId = "u-vercel",
): Promise<Outcome> {
  const { tracerProvider, recorder, tracer } = provider(
    `vercel-${flavour}`,
    new JsonExporter({ url: tracesUrl(target), headers: target.headers }),
  );
  const integration =
    flavour === "legacy" ? new LegacyOpenTelemetry({ tracer }) : new OpenTelemetry({ tracer, runtimeContext: true });
  const telemetry = {
    isEnabled: true,
    functionId: "weather-bot",
    integrations: [integration],
    includeRuntimeContext: { userId: true, sessionId: true },
  };
  await generateText({
    model: mockModel(),
    tools: { weather },
    stopWhen: isStepCount(3),
    prompt: "What is the weather in Paris?",
    runtimeContext: { userId, sessionId: "s-vercel" },
    experimental_telemetry: telemetry as never,
  } as never);
  const stream = streamText({
    model: mockModel(),
    prompt: "Say hello",
    experimental_telemetry: telemetry as never,
  } as never);
  await stream.consumeStream();
  await embed({
    model: new MockEmbeddingModelV4({
      provider: "openai.embedding",
      modelId: "text-embedding-3-small",
      doEmbed: [{ embeddings: [[0.1, 0.2]], usage: { tokens: 4 }, warnings: [] }],
    } as never),
    value: "hello",
    experimental_telemetry: telemetry as never,
  } as never);
  await tracerProvider.forceFlush();
  await tracerProvider.shutdown();
  return recorder.outcome();
}

/** `@arizeai/openinference-instrumentation-openai` around the real `openai` client, against the tests' one fake upstream. */
export async function runOpenInference(target: Target, userId = "u-oi"): Promise<Outcome> {
  const upstream = await startFakeUpstream();
  const { tracerProvider, recorder, tracer } = provider(
    "openinference",
    new JsonExporter({ url: tracesUrl(target), headers: target.headers }),
  );
  const instrumentation = new OpenAIInstrumentation({ tracerProvider });
  instrumentation.manuallyInstrument(OpenAI as never);
  const client = new OpenAI({ apiKey: "sk-test", baseURL: `${upstream.url}/v1` });
  try {
    await tracer.startActiveSpan(
      "rag-pipeline",
      { attributes: { "openinference.span.kind": "CHAIN", "user.id": userId, "session.id": "s-oi" } },
      async (root) => {
        await client.chat.completions.create({
          model: "gpt-4o-mini",
          messages: [
            { role: "system", content: "Be brief." },
            { role: "user", content: "Where is order 42?" },
          ],
        });
        const stream = await client.chat.completions.create({
          model: "gpt-4o-mini",
          messages: [{ role: "user", content: "Say hello" }],
          stream: true,
          stream_options: { include_usage: true },
        });
        for await (const _ of stream);
        await client.chat.completions.create({
          model: "gpt-4o-mini",
          messages: [{ role: "user", content: "Look up order 42" }],
          tools: [
            {
              type: "function",
              function: {
                name: "lookup_order",
                parameters: { type: "object", properties: { id: { type: "number" } } },
              },
            },
          ],
        });
        await client.embeddings.create({ model: "text-embedding-3-small", input: "order 42" });
        root.end();
      },
    );
  } finally {
    instrumentation.disable();
    await tracerProvider.forceFlush();
    await tracerProvider.shutdown();
    await upstream.close();
  }
  return recorder.outcome();
}

/** `@langfuse/tracing` + `@langfuse/otel` with Basic auth (public key : secret key) on Langfuse's OTel path. */
export async function runLangfuse(
  target: Target & { publicKey: string; secretKey: string },
  userId = "u-lf",
): Promise<Outcome> {
  const processor = new LangfuseSpanProcessor({
    publicKey: target.publicKey,
    secretKey: target.secretKey,
    baseUrl: target.base,
    exportMode: "immediate",
  } as never);
  const { tracerProvider, recorder } = provider("langfuse", processor);
  setLangfuseTracerProvider(tracerProvider);
  try {
    await propagateAttributes({ userId, sessionId: "s-lf", tags: ["beta", "lf"], traceName: "qa-run" }, () =>
      startActiveObservation("qa-run", async (root) => {
        root.update({ input: { question: "Capital of France?" } });
        const generation = startObservation(
          "answer",
          {
            model: "gpt-4o",
            input: [{ role: "user", content: "Capital of France?" }],
            modelParameters: { temperature: 0 },
          },
          { asType: "generation" },
        );
        generation.update({
          output: { role: "assistant", content: "Paris" },
          usageDetails: { input: 20, output: 5 },
          costDetails: { total: 0.0042 },
        });
        generation.end();
        const lookup = startObservation("search", { input: { q: "France capital" } }, { asType: "tool" });
        lookup.update({ output: ["Paris"] }).end();
        root.startObservation("warned", { level: "ERROR", statusMessage: "index stale" }, { asType: "event" });
        root.update({ output: "Paris" });
      }),
    );
  } finally {
    await processor.forceFlush();
    await tracerProvider.shutdown();
    setLangfuseTracerProvider(null);
  }
  return recorder.outcome();
}
