// Ported from langfuse/langfuse web/src/__tests__/server/ingestion-api.servertest.ts (every case but the score cases,
// which the scores work ports, and the S3 event-log case, which has no equivalent: docs/langfuse.md).
import { describe, expect, it } from "vitest";
import { asObservation, asTrace, langfuseProject, now, uuid } from "./helpers.ts";

const SOURCE = "web/src/__tests__/server/ingestion-api.servertest.ts";

describe(`Langfuse ${SOURCE}`, () => {
  it.each([
    ["plain", {}],
    ["metadata+io", { metadata: { hello: "world" }, input: "input", output: "output" }],
    ["complex-io", { metadata: { hello: "world" }, input: ["hello", { world: "world" }, [1, 2, 3]] }],
    [
      "non-default-environment",
      { metadata: { hello: "world" }, input: ["hello", { world: "world" }, [1, 2, 3]], environment: "production" },
    ],
    ["emojis in i/o", { metadata: { hello: "world" }, input: "🪢🚀🌖", output: "👋🌍" }],
  ] as const)("should create traces via the ingestion API (%s)", async (_name, extra) => {
    const p = await langfuseProject();
    const body: Record<string, unknown> = { id: uuid(), timestamp: now(), ...extra };
    const res = await p.post({ batch: [{ id: uuid(), type: "trace-create", timestamp: now(), body }] });
    expect(res.status).toBe(207);
    const trace = asTrace(await p.event(body.id as string, body.id as string));
    expect(trace.id).toBe(body.id);
    expect(trace.metadata).toEqual(body.metadata ?? {});
    expect(trace.input).toEqual(body.input ?? null);
    expect(trace.output).toEqual(body.output ?? null);
    expect(trace.environment).toEqual(body.environment ?? "default");
  });

  const withModel = {
    endTime: now(1000),
    model: "claude-3-haiku",
    modelParameters: { temperature: 0.7, max_tokens: 1000 },
    usage: {
      input: 150,
      output: 75,
      total: 225,
      unit: "TOKENS",
      inputCost: 0.0015,
      outputCost: 0.003,
      totalCost: 0.0045,
    },
    usageDetails: { input: 150, output: 75, total: 225 },
    costDetails: { input: 0.0015, output: 0.003, total: 0.0045 },
  };
  it.each([
    [
      "generation",
      "GENERATION",
      "generation-create",
      { parentObservationId: uuid(), model: "gpt-4", input: { text: "input" }, output: { text: "output" } },
    ],
    ["span", "SPAN", "span-create", {}],
    [
      "span-complex-io",
      "SPAN",
      "span-create",
      { input: ["hello", { world: "world" }, [1, 2, 3]], output: ["hello", { world: [2, 3, "test"] }, [1, 2, 3]] },
    ],
    [
      "span-non-default-environment",
      "SPAN",
      "span-create",
      {
        input: ["hello", { world: "world" }, [1, 2, 3]],
        output: ["hello", { world: [2, 3, "test"] }, [1, 2, 3]],
        environment: "production",
      },
    ],
    [
      "agent",
      "AGENT",
      "agent-create",
      { name: "AI Agent", input: "Process user request", output: "Request processed successfully", ...withModel },
    ],
    [
      "tool",
      "TOOL",
      "tool-create",
      {
        endTime: now(2000),
        name: "Web Search Tool",
        input: "Search for current weather",
        output: "Weather data retrieved",
        model: "gpt-4o-mini",
        usage: {
          input: 50,
          output: 25,
          total: 75,
          unit: "TOKENS",
          inputCost: 0.0001,
          outputCost: 0.0002,
          totalCost: 0.0003,
        },
      },
    ],
    [
      "chain",
      "CHAIN",
      "chain-create",
      {
        endTime: now(3000),
        name: "Processing Chain",
        input: "Multi-step task",
        output: "All steps completed",
        model: "gpt-4",
        usageDetails: { input: 800, output: 400, total: 1200 },
        costDetails: { input: 0.024, output: 0.048, total: 0.072 },
      },
    ],
    [
      "retriever",
      "RETRIEVER",
      "retriever-create",
      { endTime: now(1500), name: "Document Retriever", input: "Query document database", output: "Retrieved 5" },
    ],
    [
      "evaluator",
      "EVALUATOR",
      "evaluator-create",
      { endTime: now(800), name: "Quality Evaluator", input: "Evaluate response quality", output: "Quality: 0.85" },
    ],
    [
      "embedding",
      "EMBEDDING",
      "embedding-create",
      {
        endTime: now(500),
        name: "Text Embedding",
        input: "Text to embed",
        output: "Embedding vector generated",
        model: "text-embedding-ada-002",
        usage: { input: 20, output: 0, total: 20, unit: "TOKENS", totalCost: 0.00004 },
      },
    ],
    ["guardrail", "GUARDRAIL", "guardrail-create", {}],
  ] as const)("should create observations via the ingestion API (%s)", async (_name, type, itemType, extra) => {
    const p = await langfuseProject();
    const body: Record<string, unknown> = { id: uuid(), traceId: uuid(), startTime: now(), ...extra };
    const res = await p.post({ batch: [{ id: uuid(), type: itemType, timestamp: now(), body }] });
    expect(res.status).toBe(207);
    const o = asObservation(await p.event(body.traceId as string, body.id as string));
    expect(o.id).toBe(body.id);
    expect(o.metadata).toEqual(body.metadata ?? {});
    expect(o.input).toEqual(body.input ?? null);
    expect(o.output).toEqual(body.output ?? null);
    expect(o.type).toBe(type);
    expect(o.environment).toEqual(body.environment ?? "default");
  });

  it.each([
    "&",
    "$",
    "@",
    "=",
    ";",
    "/",
    "+",
    " ",
    ",",
    "?",
    "{",
    "}",
    "^",
    "%",
    "`",
    "]",
    '"',
    ">",
    "[",
    "~",
    "<",
    "#",
    "|",
  ])("should test special S3 characters in IDs (%s)", async (char) => {
    const p = await langfuseProject();
    const id = `${uuid()}-${char}-test`;
    const res = await p.post({
      batch: [{ id: uuid(), type: "trace-create", timestamp: now(), body: { id, timestamp: now() } }],
    });
    expect(res.status).toBe(207);
    const trace = asTrace(await p.event(id, id));
    expect(trace.id).toBe(id);
    expect(trace.environment).toBe("default");
  });

  it("should fail for \\r in id", async () => {
    const p = await langfuseProject();
    const res = await p.post({
      batch: [
        {
          id: `${uuid()}-\r-test`,
          type: "trace-create",
          timestamp: now(),
          body: { id: uuid(), userId: "user-1", metadata: { key: "value" }, release: "1.0.0", version: "2.0.0" },
        },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.errors.length).toBe(1);
    expect(res.body.errors[0].message).toBe("Invalid request data");
    expect(res.body.errors[0].error).toContain("ID cannot contain carriage return characters");
  });

  it("should fail for long trace name", async () => {
    const p = await langfuseProject();
    const base = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ";
    const name = base.repeat(Math.ceil(1500 / base.length));
    const res = await p.post({
      batch: [
        {
          id: uuid(),
          type: "trace-create",
          timestamp: now(),
          body: { id: uuid(), name, userId: "user-1", metadata: { key: "value" }, release: "1.0.0", version: "2.0.0" },
        },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.errors.length).toBe(1);
    expect(res.body.errors[0].message).toBe("Invalid request data");
  });

  it("should silently drop invalid float values in usageDetails", async () => {
    const p = await langfuseProject();
    const body = {
      id: uuid(),
      traceId: uuid(),
      parentObservationId: uuid(),
      startTime: now(),
      model: "gpt-4",
      input: { text: "input" },
      output: { text: "output" },
      usageDetails: { key: 0.1 },
    };
    const res = await p.post({ batch: [{ id: uuid(), type: "generation-create", timestamp: now(), body }] });
    expect(res.status).toBe(207);
    expect(res.body.successes.length).toBe(1);
    expect(res.body.errors.length).toBe(0);
    // WatchLLM: and the item is stored.
    expect(asObservation(await p.event(body.traceId, body.id)).output).toEqual({ text: "output" });
  });

  const metadataCases = [
    ["string", { testId: "this is a string metadata" }],
    ["big-number", { testId: "1983516295378495150" }],
    ["small-number", { testId: 5 }],
    ["float-number", { testId: 5.5 }],
  ] as const;
  it.each(metadataCases)("#6123: should treat %s metadata for traces as such", async (_type, metadata) => {
    const p = await langfuseProject();
    const id = uuid();
    const res = await p.post({
      batch: [{ id: uuid(), type: "trace-create", timestamp: now(), body: { id, timestamp: now(), metadata } }],
    });
    expect(res.status).toBe(207);
    expect(JSON.stringify(asTrace(await p.event(id, id)).metadata)).toBe(JSON.stringify(metadata));
  });

  it.each(metadataCases)("#6123: should treat %s metadata for observations as such", async (_type, metadata) => {
    const p = await langfuseProject();
    const [id, traceId] = [uuid(), uuid()];
    const res = await p.post({
      batch: [{ id: uuid(), type: "span-create", timestamp: now(), body: { id, traceId, startTime: now(), metadata } }],
    });
    expect(res.status).toBe(207);
    expect(JSON.stringify(asObservation(await p.event(traceId, id)).metadata)).toBe(JSON.stringify(metadata));
  });

  it("should merge metadata correctly across multiple trace updates", async () => {
    const p = await langfuseProject();
    const id = uuid();
    const first = {
      id: uuid(),
      type: "trace-create",
      timestamp: now(),
      body: { id, name: "operation", timestamp: now(), metadata: { step: 1, status: "started" } },
    };
    const second = {
      id: uuid(),
      type: "trace-create",
      timestamp: now(1000),
      body: { id, name: "operation", timestamp: now(1000), metadata: { step: 2, error: "" } },
    };
    expect((await p.post({ batch: [first] })).status).toBe(207);
    await p.event(id, id, (e) => asTrace(e).metadata.step === 1);
    expect((await p.post({ batch: [second] })).status).toBe(207);
    const trace = asTrace(await p.event(id, id, (e) => asTrace(e).metadata.step === 2));
    expect(trace.metadata).toEqual({ step: 2, status: "started", error: "" });
  });
});
