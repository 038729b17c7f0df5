// The same recorded Anthropic Messages call (test/fixtures/providers/anthropic), plain and streamed, made with the real
// `@anthropic-ai/sdk` client through the gateway and through the TypeScript SDK's observeFetch, must be stored as the
// same event: type, provider, model, tokens (cache reads and writes), cost, the stream flag and a first-token time.
// (The Python SDK wraps only `openai`, and the OTLP test's AI SDK has no Anthropic provider installed here.)
import Anthropic from "@anthropic-ai/sdk";
import { beforeAll, describe, expect, it } from "vitest";
import { createClient, observeFetch } from "../../sdk/js/src/index.ts";
import { recorded } from "../support/fake-upstream.ts";
import { base, newProject, type Project, query, type StoredRow, upstream, waitFor, watchllm } from "./helpers.ts";

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

/** What must be the same whichever way a call came in. */
const comparable = (row: StoredRow) => ({
  type: row.type,
  status: row.status,
  provider: row.provider,
  model: row.model,
  input_tokens: row.input_tokens,
  output_tokens: row.output_tokens,
  cached_input_tokens: row.cached_input_tokens,
  cost_usd: Number((row.cost_usd as number).toPrecision(9)),
  stream: row.first_token_ms !== null,
});

const stored: Partial<Record<Way, ReturnType<typeof comparable>[]>> = {};

beforeAll(async () => {
  await Promise.all(
    WAYS.map(async (way) => {
      const project = await newProject();
      await callers[way](project);
      const rows = await waitFor(
        () =>
          query<StoredRow>(
            "SELECT * FROM events WHERE project_id = ? AND type = 'model_response' ORDER BY ts",
            project.projectId,
          ),
        (r) => r.length === 2,
        { timeoutMs: 30_000, what: `two Anthropic calls recorded through ${way}` },
      );
      stored[way] = rows.map(comparable);
    }),
  );
}, 120_000);

describe("the same Anthropic call through the gateway and the TS SDK is stored alike", () => {
  const usage = recorded("anthropic/messages.json").usage;
  for (const [index, label] of ["plain", "streamed"].entries()) {
    it(`${label} message`, () => {
      expect({ way: "ts-sdk", ...stored["ts-sdk"]![index] }).toEqual({ ...stored.gateway![index], way: "ts-sdk" });
      expect(stored.gateway![index]).toMatchObject({
        type: "model_response",
        status: "ok",
        provider: "anthropic",
        model: params.model,
        output_tokens: usage.output_tokens,
        stream: label === "streamed",
      });
      expect(stored.gateway![index]!.cost_usd).toBeGreaterThan(0);
    });
  }
});
