// One recorded call, four ways in: the same chat completion (plain and streamed) made with the real `openai` client
// through the gateway, through the TypeScript SDK's observeOpenAI, through the Python SDK's observe_openai (the real
// Python `openai` package) and through OTLP (the Vercel AI SDK's OpenAI provider with its OpenTelemetry integration,
// exported by the real OTel exporter) must be stored as the same event: type, provider, model, tokens, cost, the same input and
// output messages, the stream flag and a first-token time. Each way in records into a project of its own, against the
// gateway tests' one fake upstream.
import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { createOpenAI } from "@ai-sdk/openai";
import { OpenTelemetry } from "@ai-sdk/otel";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { generateText, streamText } from "ai";
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import { createClient, observeOpenAI } from "../../sdk/js/src/index.ts";
import { base, type Project, type StoredRow, upstream, watchllm } from "./helpers.ts";
import { recordEachWay, storedAlike } from "./parity-setup.ts";

const messages = [
  { role: "system" as const, content: "Be brief." },
  { role: "user" as const, content: "Say hello." },
];
const params = { model: "gpt-4o-mini", messages, temperature: 0 };
const streamed = { ...params, stream: true as const, stream_options: { include_usage: true } };

type Way = "gateway" | "ts-sdk" | "python-sdk" | "otlp";
const WAYS: Way[] = ["gateway", "ts-sdk", "python-sdk", "otlp"];

async function drain(stream: AsyncIterable<unknown>) {
  for await (const _ of stream);
}

/** Makes the two calls (plain, then streamed) through one way in, recording into `project`. */
const callers: Record<Way, (project: Project) => Promise<void>> = {
  async gateway(project) {
    const openai = new OpenAI({
      apiKey: "sk-test-parity",
      baseURL: `${base}/gateway/openai/v1`,
      maxRetries: 0,
      defaultHeaders: watchllm(project.ingestKey),
    });
    await openai.chat.completions.create(params);
    await drain(await openai.chat.completions.create(streamed));
  },
  async "ts-sdk"(project) {
    const client = createClient({ apiKey: project.ingestKey, baseUrl: base });
    const openai = observeOpenAI(new OpenAI({ apiKey: "sk-test-parity", baseURL: `${upstream}/v1`, maxRetries: 0 }), {
      client,
    });
    await openai.chat.completions.create(params);
    await drain(await openai.chat.completions.create(streamed));
    await client.flush();
  },
  async "python-sdk"(project) {
    const script = `
import sys, openai, watchllm
wl = watchllm.WatchLLM(api_key=sys.argv[1], base_url=sys.argv[2])
client = watchllm.observe_openai(openai.OpenAI(api_key="sk-test-parity", base_url=sys.argv[3], max_retries=0))
messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say hello."}]
client.chat.completions.create(model="gpt-4o-mini", messages=messages, temperature=0)
for _ in client.chat.completions.create(model="gpt-4o-mini", messages=messages, temperature=0, stream=True,
                                        stream_options={"include_usage": True}):
    pass
assert wl.flush(timeout=20), "not delivered"
`;
    const out = spawnSync(python, ["-c", script, project.ingestKey, base, `${upstream}/v1`], { encoding: "utf8" });
    if (out.status !== 0) throw new Error(`python exited with ${out.status}: ${out.stderr}`);
  },
  async otlp(project) {
    const tracerProvider = new BasicTracerProvider({
      resource: resourceFromAttributes({ "service.name": "parity" }),
      spanProcessors: [
        new SimpleSpanProcessor(
          new OTLPTraceExporter({
            url: `${base}/api/v1/otel/v1/traces`,
            headers: { Authorization: `Bearer ${project.ingestKey}` },
          }),
        ),
      ],
    });
    const telemetry = {
      isEnabled: true,
      integrations: [new OpenTelemetry({ tracer: tracerProvider.getTracer("parity") })],
    };
    const model = createOpenAI({ apiKey: "sk-test-parity", baseURL: `${upstream}/v1` }).chat("gpt-4o-mini");
    // The AI SDK takes the system prompt as `instructions`; it sends the same messages upstream.
    const prompt = { model, instructions: "Be brief.", messages: messages.slice(1), temperature: 0 };
    try {
      await generateText({ ...prompt, experimental_telemetry: telemetry } as never);
      await streamText({ ...prompt, experimental_telemetry: telemetry } as never).consumeStream();
    } finally {
      await tracerProvider.forceFlush();
      await tracerProvider.shutdown();
    }
  },
};

type Message = { role?: string; content?: unknown; parts?: Array<{ type?: string; content?: unknown }> };

/** A message list (or one message) as "role: text" lines: OpenAI's `content` or the OTel GenAI convention's `parts`. */
function conversation(messages: unknown): string[] {
  const list = (Array.isArray(messages) ? messages : [messages]) as Message[];
  return list.map((m) => {
    const text = m.parts
      ? m.parts.map((p) => (p.type === "text" ? String(p.content) : `[${p.type}]`)).join("")
      : String(m.content);
    return `${m.role}: ${text}`;
  });
}

/** What must be the same whichever way a call came in: the basics, and the same messages in and out. */
function comparable(row: StoredRow) {
  const body = row.body ? JSON.parse(row.body) : {};
  return { ...storedAlike(row), conversation: [...conversation(body.input), ...conversation(body.output)] };
}

/** The stored shape of input and output (OpenAI's messages as the caller's client sent and got them). */
const shape = (row: StoredRow) => {
  const { input, output } = row.body ? JSON.parse(row.body) : {};
  return { input, output };
};

const python = join("sdk", "python", ".venv", "bin", "python");
type Stored = ReturnType<typeof comparable> & { first_token_ms: number | null; shape: ReturnType<typeof shape> };
const stored: Partial<Record<Way, Stored[]>> = {};

beforeAll(async () => {
  // The test venv (pytest, the real `openai`, this SDK built as `pip install ./sdk/python` would), as npm test makes it.
  execFileSync(process.execPath, ["scripts/test-python.ts", "setup"], { stdio: "inherit" });
  const rows = await recordEachWay(callers, 2);
  for (const way of WAYS)
    stored[way] = rows[way].map((row) => ({
      ...comparable(row),
      first_token_ms: row.first_token_ms as number | null,
      shape: shape(row),
    }));
}, 180_000);

describe("the same call through every way in is stored alike", () => {
  for (const [index, label] of ["plain", "streamed"].entries()) {
    it(`${label} chat completion`, () => {
      const views = Object.fromEntries(
        WAYS.map((way) => {
          const { first_token_ms, shape, ...view } = stored[way]![index]!;
          return [way, view];
        }),
      );
      // Each way beside the gateway's (the closest to the wire), so a failure names the way that differs.
      for (const way of WAYS) expect({ way, ...views[way] }).toEqual({ ...views.gateway, way });
      expect(views.gateway).toMatchObject({
        type: "model_response",
        status: "ok",
        provider: "openai",
        input_tokens: 12,
        output_tokens: 7,
        cached_input_tokens: 4,
        conversation: ["system: Be brief.", "user: Say hello.", "assistant: Hello from the fake upstream."],
        stream: label === "streamed",
      });
      // Every way stores OpenAI's own messages: OTLP's GenAI `parts` messages are normalised to them.
      for (const way of ["ts-sdk", "python-sdk", "otlp"] as const)
        expect(stored[way]![index]!.shape, way).toEqual(stored.gateway![index]!.shape);
      expect(stored.gateway![index]!.shape).toEqual({
        input: messages,
        output: { role: "assistant", content: "Hello from the fake upstream." },
      });
      for (const way of WAYS) {
        const { first_token_ms } = stored[way]![index]!;
        if (label === "streamed") expect(first_token_ms, way).toBeGreaterThanOrEqual(0);
        else expect(first_token_ms, way).toBeNull();
      }
    });
  }
});
