// Gateway calls are named as OpenTelemetry GenAI spans are (`chat gpt-4o-mini`), WatchLLM-Trace-Name puts calls under
// one named root, and a failed call keeps its name with the upstream's status beside it.
import OpenAI from "openai";
import { beforeAll, describe, expect, it } from "vitest";
import {
  base,
  newProject,
  type Project,
  providerKey,
  query,
  rejection,
  storedEvent,
  waitFor,
  watchllm,
} from "./helpers.ts";

let project: Project;
beforeAll(async () => {
  project = await newProject();
});

const client = (key: string, headers: Record<string, string> = {}) =>
  new OpenAI({
    apiKey: key,
    baseURL: `${base}/gateway/openai/v1`,
    maxRetries: 0,
    defaultHeaders: { ...watchllm(project.ingestKey), ...headers },
  });
const messages = [{ role: "user" as const, content: "Say hello." }];

describe("gateway call names", () => {
  it("names a chat call `chat <requested model>` and its trace the same", async () => {
    const { response } = await client(providerKey("name-chat"))
      .chat.completions.create({ model: "gpt-4o-mini", messages })
      .withResponse();
    const event = await storedEvent(project.projectId, response.headers.get("WatchLLM-Event-Id")!);
    expect(event).toMatchObject({ name: "chat gpt-4o-mini", model: "gpt-4o-mini-2024-07-18", parent_event_id: null });
    const [trace] = await waitFor(
      () => query<{ root_name: string }>("SELECT root_name FROM traces WHERE trace_id = ?", event.trace_id),
      (rows) => rows.length === 1,
    );
    expect(trace!.root_name).toBe("chat gpt-4o-mini");
  });

  it("puts calls sharing WatchLLM-Trace-Id and WatchLLM-Trace-Name under one root span of that name", async () => {
    const traceId = `named-${crypto.randomUUID()}`;
    const named = client(providerKey("name-trace"), {
      "WatchLLM-Trace-Id": traceId,
      "WatchLLM-Trace-Name": "support-agent",
    });
    const first = await named.chat.completions.create({ model: "gpt-4o-mini", messages }).withResponse();
    const second = await named.chat.completions.create({ model: "gpt-4o", messages }).withResponse();
    for (const [{ response }, name] of [
      [first, "chat gpt-4o-mini"],
      [second, "chat gpt-4o"],
    ] as const) {
      const event = await storedEvent(project.projectId, response.headers.get("WatchLLM-Event-Id")!);
      expect(event).toMatchObject({ name, trace_id: traceId, parent_event_id: traceId });
    }
    const root = await storedEvent(project.projectId, traceId);
    expect(root).toMatchObject({ type: "span", name: "support-agent", parent_event_id: null, trace_id: traceId });
    const [trace] = await waitFor(
      () =>
        query<{ root_name: string; span_count: number }>(
          "SELECT root_name, span_count FROM traces WHERE trace_id = ?",
          traceId,
        ),
      (rows) => rows[0]?.span_count === 3,
    );
    expect(trace!.root_name).toBe("support-agent");

    // Alone, the header gives the call a fresh trace whose root carries the name.
    const alone = await client(providerKey("name-alone"), { "WatchLLM-Trace-Name": "one-off" })
      .chat.completions.create({ model: "gpt-4o-mini", messages })
      .withResponse();
    const call = await storedEvent(project.projectId, alone.response.headers.get("WatchLLM-Event-Id")!);
    expect(call.trace_id).not.toBe(call.event_id);
    expect(await storedEvent(project.projectId, call.trace_id)).toMatchObject({ name: "one-off" });
  });

  it("keeps a failed call's name and records the upstream's status", async () => {
    const failed = await rejection<InstanceType<typeof OpenAI.APIError>>(
      client(providerKey("name-429"), { "X-Fake-Scenario": "429" }).chat.completions.create({
        model: "gpt-4o-mini",
        messages,
      }),
    );
    const event = await storedEvent(project.projectId, failed.headers!.get("WatchLLM-Event-Id")!);
    expect(event).toMatchObject({ name: "chat gpt-4o-mini", status: "error" });
    expect(event.contextJson.metadata.upstream_status).toBe(429);
  });
});
