// Ported from langfuse/langfuse worker/src/services/IngestionService/tests/IngestionService.integration.test.ts: the
// cases that ingest traces and observations, sent as items to POST /api/public/ingestion instead of handed to the
// service. Score parts are left to the scores work; cases that need Langfuse's model table, tokenizer, pricing tiers
// or ClickHouse staging tables have no equivalent (docs/langfuse.md, "Differences from Langfuse").
import { describe, expect, it } from "vitest";
import { asObservation, asTrace, langfuseProject, now, uuid } from "./helpers.ts";

const SOURCE = "worker/src/services/IngestionService/tests/IngestionService.integration.test.ts";
const item = (type: string, body: Record<string, unknown>, timestamp = now()) => ({
  id: uuid(),
  type,
  timestamp,
  body,
});

const USAGE_CASES: Array<{
  usage?: unknown;
  usageDetails?: unknown;
  costDetails?: unknown;
  expectedUsageDetails: Record<string, number>;
  expectedCostDetails?: Record<string, number>;
}> = [
  {
    usage: {
      input: 100,
      output: 200,
      total: 100,
      unit: "CHARACTERS",
      inputCost: 123,
      outputCost: 456,
      totalCost: 789,
    },
    expectedUsageDetails: {
      input: 100,
      output: 200,
      total: 100,
    },
  },
  {
    usage: {
      total: 100,
      unit: "CHARACTERS",
    },
    expectedUsageDetails: {
      total: 100,
    },
  },
  {
    usage: {
      total: 100,
      unit: "MILLISECONDS",
    },
    expectedUsageDetails: {
      total: 100,
    },
  },
  {
    usage: {
      input: 1,
      output: 2,
      unit: "IMAGES",
    },
    expectedUsageDetails: {
      input: 1,
      output: 2,
      total: 3,
    },
  },
  {
    usage: {
      input: 1,
      output: 2,
      unit: "REQUESTS",
    },
    expectedUsageDetails: {
      input: 1,
      output: 2,
      total: 3,
    },
  },
  {
    usage: {
      input: 30,
      output: 10,
      unit: "SECONDS",
    },
    expectedUsageDetails: {
      input: 30,
      output: 10,
      total: 40,
    },
  },
  {
    usage: {
      total: 100,
    },
    expectedUsageDetails: {
      total: 100,
    },
  },
  {
    usage: undefined,
    expectedUsageDetails: {},
  },
  {
    usage: null,
    expectedUsageDetails: {},
  },
  {
    usage: {},
    expectedUsageDetails: {},
  },
  {
    usage: {},
    usageDetails: {
      input: 1,
      output: 2,
      total: 3,
      cached: 1,
    },
    expectedUsageDetails: {
      input: 1,
      output: 2,
      total: 3,
      cached: 1,
    },
  },
  {
    usage: {
      input: 1,
      output: 2,
      total: 3,
    },
    usageDetails: {
      cached: 1,
    },
    expectedUsageDetails: {
      input: 1,
      output: 2,
      total: 3,
      cached: 1,
    },
  },
  {
    usage: {
      input: 1,
      output: 2,
      total: 3,
    },
    usageDetails: {
      input: 2,
      output: 3,
      total: 5,
      cached: 1,
    },
    expectedUsageDetails: {
      input: 2,
      output: 3,
      total: 5,
      cached: 1,
    },
  },
  {
    usage: {
      input: 1,
      output: 2,
      total: 3,
    },
    costDetails: {
      input: 123,
      output: 456,
      total: 789,
    },
    expectedUsageDetails: {
      input: 1,
      output: 2,
      total: 3,
    },
    expectedCostDetails: {
      input: 123,
      output: 456,
      total: 789,
    },
  },
  {
    usage: {},
    usageDetails: {},
    costDetails: {},
    expectedUsageDetails: {},
    expectedCostDetails: {},
  },
  {
    usage: null,
    usageDetails: null,
    costDetails: null,
    expectedUsageDetails: {},
    expectedCostDetails: {},
  },
  {
    usage: undefined,
    usageDetails: undefined,
    costDetails: undefined,
    expectedUsageDetails: {},
    expectedCostDetails: {},
  },
  {
    usage: { input: 1 },
    usageDetails: { input: 2 },
    costDetails: { input: 3 },
    expectedUsageDetails: { input: 2, total: 2 },
    expectedCostDetails: { input: 3, total: 3 },
  },
  {
    usage: { input: 1 },
    usageDetails: {
      input: 1,
      cached: 2,
      reasoning: 3,
    },
    expectedUsageDetails: { input: 1, cached: 2, reasoning: 3, total: 6 },
  },
  {
    usage: {},
    usageDetails: {
      input: 1,
      output: null,
      total: undefined,
    },
    expectedUsageDetails: { input: 1, total: 1 },
    costDetails: {
      input: 123,
      output: null,
      cached: undefined,
    },
    expectedCostDetails: { input: 123, total: 123 },
  },
  // OpenAI format
  {
    usage: null,
    usageDetails: {
      prompt_tokens: 5,
      completion_tokens: 11,
      total_tokens: 16,
      prompt_tokens_details: {
        cached_tokens: 2,
        audio_tokens: 3,
      },
      completion_tokens_details: {
        text_tokens: 3,
        audio_tokens: 4,
        reasoning_tokens: 4,
      },
    },
    expectedUsageDetails: {
      input: 0,
      output: 0,
      total: 16,
      input_cached_tokens: 2,
      input_audio_tokens: 3,
      output_text_tokens: 3,
      output_audio_tokens: 4,
      output_reasoning_tokens: 4,
    },
  },
  {
    usage: null,
    usageDetails: {
      prompt_tokens: 5,
      completion_tokens: 11,
      total_tokens: 16,
      prompt_tokens_details: {
        cached_tokens: 2,
        audio_tokens: null,
        image_tokens: undefined,
      },
      completion_tokens_details: {
        text_tokens: 3,
        audio_tokens: undefined,
        reasoning_tokens: 4,
        image_tokens: null,
      },
    },
    expectedUsageDetails: {
      input: 3,
      output: 4,
      total: 16,
      input_cached_tokens: 2,
      output_text_tokens: 3,
      output_reasoning_tokens: 4,
    },
  },
  // OpenAI Response API format
  {
    usage: null,
    usageDetails: {
      input_tokens: 5,
      output_tokens: 11,
      total_tokens: 16,
      input_tokens_details: {
        cached_tokens: 2,
        audio_tokens: 3,
      },
      output_tokens_details: {
        text_tokens: 3,
        audio_tokens: 4,
        reasoning_tokens: 4,
      },
    },
    expectedUsageDetails: {
      input: 0,
      output: 0,
      total: 16,
      input_cached_tokens: 2,
      input_audio_tokens: 3,
      output_text_tokens: 3,
      output_audio_tokens: 4,
      output_reasoning_tokens: 4,
    },
  },
  {
    usage: null,
    usageDetails: {
      input_tokens: 5,
      output_tokens: 11,
      total_tokens: 16,
      input_tokens_details: {
        cached_tokens: 2,
        audio_tokens: null,
        image_tokens: undefined,
      },
      output_tokens_details: {
        text_tokens: 3,
        audio_tokens: null,
        reasoning_tokens: 4,
        image_tokens: undefined,
      },
    },
    expectedUsageDetails: {
      input: 3,
      output: 4,
      total: 16,
      input_cached_tokens: 2,
      output_text_tokens: 3,
      output_reasoning_tokens: 4,
    },
  },
];

describe(`Langfuse ${SOURCE}`, () => {
  it("should correctly ingest a trace", async () => {
    const p = await langfuseProject();
    const traceId = uuid();
    const timestamp = now();
    // The item's id names the trace: the body has none.
    const res = await p.post({
      batch: [
        {
          type: "trace-create",
          id: traceId,
          timestamp,
          body: { name: "test-trace", timestamp, input: "foo", output: "bar" },
        },
      ],
    });
    expect(res.status).toBe(207);
    const trace = asTrace(await p.event(traceId, traceId));
    expect(trace).toMatchObject({
      id: traceId,
      name: "test-trace",
      userId: null,
      metadata: {},
      release: null,
      version: null,
      tags: [],
      input: "foo",
      output: "bar",
      sessionId: null,
      timestamp: Date.parse(timestamp),
    });
  });

  it("should paginate events with sub-millisecond wire timestamps after ingestion normalization", async () => {
    const p = await langfuseProject();
    const traceId = uuid();
    const [a, b] = [uuid(), uuid()];
    const spans = [
      [a, "2026-01-01T12:00:00.123456Z"],
      [b, "2026-01-01T12:00:00.123789Z"],
    ].map(([id, startTime]) =>
      item("span-create", {
        id,
        traceId,
        name: `sub-ms-cursor-${id}`,
        startTime,
        endTime: "2026-01-01T12:00:00.124000Z",
      }),
    );
    expect((await p.post({ batch: spans })).status).toBe(207);
    const t = await p.trace(traceId, (t) => t.events.length === 2);
    expect(t.events.map((e: { timestamp: number }) => e.timestamp)).toEqual([
      Date.parse("2026-01-01T12:00:00.123Z"),
      Date.parse("2026-01-01T12:00:00.123Z"),
    ]);
  });

  it.each(USAGE_CASES)("should create trace, generation and span without matching models %j", async (config) => {
    const p = await langfuseProject();
    const [traceId, generationId, spanId] = [uuid(), uuid(), uuid()];
    const res = await p.post({
      batch: [
        item("trace-create", {
          id: traceId,
          timestamp: now(),
          name: "trace-name",
          userId: "user-1",
          metadata: { key: "value" },
          release: "1.0.0",
          version: "2.0.0",
          tags: ["tag-1", "tag-2"],
        }),
        item("generation-create", {
          id: generationId,
          traceId,
          name: "generation-name",
          startTime: "2021-01-01T00:00:00.000Z",
          endTime: "2021-01-01T00:00:00.000Z",
          modelParameters: { key: "value" },
          input: { key: "value" },
          metadata: { key: "value" },
          version: "2.0.0",
        }),
        item("generation-update", {
          id: generationId,
          output: { key: "this is a great gpt output" },
          usage: config.usage,
          usageDetails: config.usageDetails,
          costDetails: config.costDetails,
        }),
        item("observation-create", {
          id: spanId,
          traceId,
          type: "SPAN",
          name: "span-name",
          startTime: "2021-01-01T00:00:00.000Z",
          endTime: "2021-01-01T00:00:00.000Z",
          input: { input: "value" },
          metadata: { meta: "value" },
          version: "2.0.0",
        }),
      ],
    });
    expect(res.body.errors).toEqual([]);
    const trace = asTrace(await p.event(traceId, traceId));
    expect(trace).toMatchObject({ name: "trace-name", release: "1.0.0", version: "2.0.0", tags: ["tag-1", "tag-2"] });
    const generation = asObservation(await p.event(traceId, generationId, (e) => e.body?.output !== undefined));
    expect(generation).toMatchObject({
      id: generationId,
      traceId,
      name: "generation-name",
      startTime: Date.parse("2021-01-01T00:00:00.000Z"),
      endTime: Date.parse("2021-01-01T00:00:00.000Z"),
      model: null,
      modelParameters: { key: "value" },
      input: { key: "value" },
      metadata: { key: "value" },
      version: "2.0.0",
      output: { key: "this is a great gpt output" },
    });
    expect(generation.usageDetails).toMatchObject(config.expectedUsageDetails);
    const span = asObservation(await p.event(traceId, spanId));
    expect(span).toMatchObject({
      id: spanId,
      name: "span-name",
      startTime: Date.parse("2021-01-01T00:00:00.000Z"),
      endTime: Date.parse("2021-01-01T00:00:00.000Z"),
      input: { input: "value" },
      metadata: { meta: "value" },
      version: "2.0.0",
    });
  });

  it("should create and update all events", async () => {
    const p = await langfuseProject();
    const [traceId, generationId, spanId, eventId] = [uuid(), uuid(), uuid(), uuid()];
    const res = await p.post({
      batch: [
        item("trace-create", { id: traceId, timestamp: now() }),
        item("span-create", { id: spanId, traceId, startTime: now() }),
        item("span-update", { id: spanId, traceId, name: "span-name", startTime: now() }),
        item("generation-create", {
          id: generationId,
          traceId,
          startTime: now(),
          parentObservationId: spanId,
          modelParameters: { someKey: ["user-1", "user-2"] },
        }),
        item("generation-update", { id: generationId, name: "generation-name", startTime: now() }),
        item("event-create", {
          id: eventId,
          traceId,
          name: "event-name",
          startTime: now(),
          parentObservationId: generationId,
        }),
      ],
    });
    expect(res.body.errors).toEqual([]);
    await p.trace(traceId, (t) => t.events.length === 4);
    expect(asObservation(await p.event(traceId, spanId))).toMatchObject({ id: spanId, name: "span-name", traceId });
    expect(asObservation(await p.event(traceId, generationId))).toMatchObject({
      id: generationId,
      traceId,
      name: "generation-name",
      parentObservationId: spanId,
      modelParameters: { someKey: ["user-1", "user-2"] },
    });
    expect(asObservation(await p.event(traceId, eventId))).toMatchObject({
      id: eventId,
      traceId,
      name: "event-name",
      parentObservationId: generationId,
    });
  });

  it("should upsert traces", async () => {
    const p = await langfuseProject();
    const traceId = uuid();
    await p.post({
      batch: [
        item("trace-create", {
          id: traceId,
          name: "trace-name",
          timestamp: now(),
          userId: "user-1",
          metadata: { key: "value" },
          release: "1.0.0",
          version: "2.0.0",
          tags: ["tag-1", "tag-2", "tag-2"],
        }),
      ],
    });
    await p.event(traceId, traceId);
    await p.post({
      batch: [
        item(
          "trace-create",
          { id: traceId, name: "trace-name", userId: "user-2", tags: ["tag-1", "tag-4", "tag-3"] },
          now(1),
        ),
      ],
    });
    const trace = asTrace(await p.event(traceId, traceId, (e) => e.user_id === "user-2"));
    expect(trace).toMatchObject({ name: "trace-name", userId: "user-2", release: "1.0.0", version: "2.0.0" });
    expect([...trace.tags].sort()).toEqual(["tag-1", "tag-2", "tag-3", "tag-4"]);
  });

  it("should upsert traces in the right order", async () => {
    const p = await langfuseProject();
    const traceId = uuid();
    const latest = now();
    const old = now(-1000);
    await p.post({
      batch: [
        item("trace-create", { id: traceId, timestamp: latest, name: "trace-name", userId: "user-1" }, latest),
        item("trace-create", { id: traceId, timestamp: old, name: "trace-name", userId: "user-2" }, old),
      ],
    });
    const trace = asTrace(await p.event(traceId, traceId));
    expect(trace).toMatchObject({ name: "trace-name", userId: "user-1" });
  });

  const generation = (id: string, traceId: string) =>
    item(
      "generation-create",
      {
        traceId,
        name: "extract_location",
        startTime: "2024-11-04T16:13:51.495868Z",
        metadata: { ls_provider: "openai", ls_model_name: "gpt-4o-mini-2024-07-18", ls_temperature: 0.4 },
        input: "Sample input",
        id,
        model: "gpt-4o-mini-2024-07-18",
        modelParameters: { temperature: "0.4", max_tokens: 1000 },
        usage: null,
      },
      "2024-11-04T16:13:51.496457Z",
    );
  const update = (id: string, traceId: string, usage: Record<string, unknown>) =>
    item(
      "generation-update",
      {
        traceId,
        output: "Sample output",
        id,
        endTime: "2024-11-04T16:13:52.156248Z",
        model: "gpt-4o-mini-2024-07-18",
        usage,
      },
      "2024-11-04T16:13:52.156691Z",
    );

  it("should merge observations and set negative tokens and cost to null", async () => {
    const p = await langfuseProject();
    const [id, traceId] = [uuid(), uuid()];
    await p.post({
      batch: [generation(id, traceId), update(id, traceId, { input: 4, output: -7, total: -3, unit: "TOKENS" })],
    });
    const o = asObservation(await p.event(traceId, id, (e) => e.body?.output !== undefined));
    expect(o.name).toBe("extract_location");
    expect(o.usageDetails).toStrictEqual({ input: 4, total: 4 });
    expect(o.costDetails).toStrictEqual({});
  });

  it("should merge observations and calculate cost", async () => {
    const p = await langfuseProject();
    const [id, traceId] = [uuid(), uuid()];
    await p.post({
      batch: [generation(id, traceId), update(id, traceId, { input: 1295, output: 18, total: 1313, unit: "TOKENS" })],
    });
    const e = await p.event(traceId, id, (e) => e.body?.output !== undefined);
    const o = asObservation(e);
    expect(o.name).toBe("extract_location");
    expect(o.usageDetails).toStrictEqual({ input: 1295, output: 18, total: 1313 });
    expect(o.costDetails).toStrictEqual({});
    // Langfuse prices it from its model table; WatchLLM from its price table (the same prices for this model).
    expect(e.cost_usd).toBeCloseTo(0.00020505, 10);
  });

  it("should merge observations from clickhouse and event list", async () => {
    const p = await langfuseProject();
    const [id, traceId] = [uuid(), uuid()];
    await p.post({ batch: [item("generation-create", { id, traceId, startTime: now(), output: "to overwrite" })] });
    await p.event(traceId, id);
    await p.post({
      batch: [item("generation-update", { id, name: "generation-name", traceId, output: "overwritten" }, now(1))],
    });
    const o = asObservation(await p.event(traceId, id, (e) => e.body?.output === "overwritten"));
    expect(o).toMatchObject({ name: "generation-name", output: "overwritten" });
  });

  it("should put observation updates after creates if timestamp is same", async () => {
    const p = await langfuseProject();
    const id = uuid();
    const timestamp = now();
    await p.post({
      batch: [
        {
          id: uuid(),
          type: "observation-update",
          timestamp,
          body: { id, type: "GENERATION", startTime: now(), output: { key: "this is a great gpt output" } },
        },
        {
          id: uuid(),
          type: "observation-create",
          timestamp,
          body: {
            id,
            type: "GENERATION",
            startTime: now(),
            name: "generation-name",
            input: { key: "value" },
            output: "should be overwritten",
            model: "gpt-3.5",
          },
        },
      ],
    });
    // Without a trace id, the observation is the root of its own trace (Langfuse wraps it in a trace of its id).
    const o = asObservation(await p.event(id, id, (e) => e.model !== null));
    expect(o.output).toEqual({ key: "this is a great gpt output" });
    expect(o.input).toEqual({ key: "value" });
    expect(o.model).toBe("gpt-3.5");
  });

  it("should correctly set tokens if usage provided as null", async () => {
    const p = await langfuseProject();
    const [id, traceId] = [uuid(), uuid()];
    const timestamp = now();
    await p.post({
      batch: [
        item("trace-create", { id: traceId, timestamp, name: "trace-name", userId: "user-1" }, timestamp),
        {
          id: uuid(),
          type: "observation-create",
          timestamp,
          body: { type: "GENERATION", id, traceId, startTime: now(), name: "LiteLLM.run" },
        },
      ],
    });
    await p.event(traceId, id);
    await p.post({
      batch: [
        {
          id: uuid(),
          type: "observation-update",
          timestamp,
          body: {
            traceId,
            type: "GENERATION",
            id,
            endTime: now(),
            model: "azure/gpt35turbo0125",
            modelParameters: { model: "azure/gpt35turbo0125", max_tokens: 2000, temperature: 0, n: 1, stream: false },
            usage: {
              input: 1285,
              output: 513,
              total: 1798,
              unit: "TOKENS",
              inputCost: 0.0006425,
              outputCost: 0.0007695,
              totalCost: 0.001412,
            },
          },
        },
      ],
    });
    const e = await p.event(traceId, id, (e) => e.model !== null);
    const o = asObservation(e);
    expect(o.usageDetails).toMatchObject({ input: 1285, output: 513, total: 1798 });
    expect(o.costDetails).toMatchObject({ input: 0.0006425, output: 0.0007695, total: 0.001412 });
    expect(e).toMatchObject({ input_tokens: 1285, output_tokens: 513, cost_usd: 0.001412, cost_source: "client" });
  });

  it.each([
    { inputs: [{ a: "a" }, { b: "b" }], output: { a: "a", b: "b" } },
    { inputs: [{ a: "a" }, undefined], output: { a: "a" } },
    { inputs: [undefined, { b: "b" }], output: { b: "b" } },
    { inputs: [{ bar: "baz" }, { foo: "bar" }], output: { foo: "bar", bar: "baz" } },
  ])("merges metadata $inputs → $output", async ({ inputs, output }) => {
    const p = await langfuseProject();
    const [traceId, id] = [uuid(), uuid()];
    await p.post({
      batch: [
        item(
          "trace-create",
          { id: traceId, name: "trace-name", timestamp: now(), userId: "user-1", metadata: inputs[0] },
          now(),
        ),
        item("trace-create", { id: traceId, name: "trace-name", timestamp: now(), metadata: inputs[1] }, now(1)),
        item(
          "observation-create",
          { id, traceId, startTime: now(), type: "GENERATION", name: "generation-name", metadata: inputs[0] },
          now(),
        ),
        item("observation-update", { id, traceId, startTime: now(), type: "GENERATION", metadata: inputs[1] }, now(1)),
      ],
    });
    await p.trace(traceId, (t) => t.events.length === 2);
    expect(asTrace(await p.event(traceId, traceId)).metadata).toEqual(output);
    expect(asObservation(await p.event(traceId, id)).metadata).toEqual(output);
  });
});
