// The real `openai` package, current major and previous one, talking to the fake upstream on the fault server, with a
// WatchLLM client recording into the same tenant (so the events checked are those the contract-checking server took).
import OpenAI7 from "openai";
import { Stream as Stream7 } from "openai/streaming";
import OpenAI6 from "openai-v6";
import { Stream as Stream6 } from "openai-v6/streaming";
import { type ObserveOptions, observeOpenAI } from "../../sdk/js/src/index.ts";
import { receivedEvents, tenant } from "./helpers.ts";

/** Both majors, typed as the current one (each test runs against both at runtime). */
export const majors = [
  { label: "openai 7", OpenAI: OpenAI7, Stream: Stream7 },
  { label: "openai 6", OpenAI: OpenAI6 as unknown as typeof OpenAI7, Stream: Stream6 as unknown as typeof Stream7 },
];

export const hi = [{ role: "user" as const, content: "Hi" }];

export const weatherTool = {
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "The weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } } },
  },
};

export const weatherSchema = {
  name: "weather",
  schema: {
    type: "object",
    properties: { city: { type: "string" }, temperature: { type: "number" } },
    required: ["city", "temperature"],
    additionalProperties: false,
  },
  strict: true,
};

/** A tenant, an `openai` client of `OpenAI` against its fake upstream, and that client observed into the tenant. */
export async function setup(OpenAI: typeof OpenAI7, options: ObserveOptions = {}) {
  const t = await tenant();
  const watchllm = t.client({ flushAt: 1000 });
  const raw = new OpenAI({ apiKey: "sk-test", baseURL: `${t.base}/v1`, maxRetries: 0 });
  const openai = observeOpenAI(raw, { client: watchllm, ...options });
  /** The first `n` events the server received (flushing until they are there). */
  const events = (n: number) => receivedEvents(t, watchllm, n);
  return { t, watchllm, raw, openai, events };
}

/** The text of a chat completion stream. */
export async function textOf(stream: AsyncIterable<{ choices: Array<{ delta?: { content?: string | null } }> }>) {
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
  return text;
}
