// The same recorded Anthropic Messages call (test/fixtures/providers/anthropic), plain and streamed, made with the real
// `@anthropic-ai/sdk` client through the gateway and through the TypeScript SDK's observeFetch, must be stored as the
// same event: type, provider, model, tokens (cache reads and writes), cost, the stream flag and a first-token time.
// (The Python SDK wraps only `openai`, and the OTLP test's AI SDK has no Anthropic provider installed here.)
import Anthropic from "@anthropic-ai/sdk";
import { beforeAll, describe, expect, it } from "vitest";
import { createClient, observeFetch } from "../../sdk/js/src/index.ts";
import { recorded } from "../support/fake-upstream.ts";
import { base, type Project, upstream, watchllm } from "./helpers.ts";
import { recordEachWay, storedAlike } from "./parity-setup.ts";

const params = {
  model: "claude-sonnet-4-5-20250929",
  max_tokens: 100,
  system: "Be brief.",
  messages: [{ role: "user" as const, content: "Say hello." }],
};

type Way = "gateway" | "ts-sdk";
const WAYS: Way[] = ["gateway", "ts-sdk"];

async function calls(anthropic: Anthropic) {
  await anthropic.messages.create(params);
  for await (const _ of await anthropic.messages.create({ ...params, stream: true }));
}

const callers: Record<Way, (project: Project) => Promise<void>> = {
  async gateway(project) {
    await calls(
      new Anthropic({
        apiKey: "sk-ant-parity",
        baseURL: `${base}/gateway/anthropic`,
        maxRetries: 0,
        defaultHeaders: watchllm(project.ingestKey),
      }),
    );
  },
  async "ts-sdk"(project) {
    const client = createClient({ apiKey: project.ingestKey, baseUrl: base });
    await calls(
      new Anthropic({
        apiKey: "sk-ant-parity",
        baseURL: upstream,
        maxRetries: 0,
        fetch: observeFetch(fetch, { client }),
      }),
    );
    await client.flush();
  },
};

let stored: Record<Way, ReturnType<typeof storedAlike>[]>;

beforeAll(async () => {
  const rows = await recordEachWay(callers, 2);
  stored = Object.fromEntries(WAYS.map((way) => [way, rows[way].map(storedAlike)])) as typeof stored;
}, 120_000);

describe("the same Anthropic call through the gateway and the TS SDK is stored alike", () => {
  const usage = recorded("anthropic/messages.json").usage;
  for (const [index, label] of ["plain", "streamed"].entries()) {
    it(`${label} message`, () => {
      expect({ way: "ts-sdk", ...stored["ts-sdk"][index] }).toEqual({ ...stored.gateway[index], way: "ts-sdk" });
      expect(stored.gateway[index]).toMatchObject({
        type: "model_response",
        status: "ok",
        provider: "anthropic",
        model: params.model,
        output_tokens: usage.output_tokens,
        stream: label === "streamed",
      });
      expect(stored.gateway[index]!.cost_usd).toBeGreaterThan(0);
    });
  }
});
