// Provider keys pass through the gateway and are kept nowhere: after plain, streamed, cached, failed, aborted and
// multipart calls, neither any table of D1 nor any file of the Worker's local state (D1, its WAL, the Cache API's
// storage, the queue) contains the key.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI, { toFile } from "openai";
import { describe, expect, inject, it } from "vitest";
import {
  base,
  dumpDatabase,
  newProject,
  providerKey,
  storedEvent,
  upstreamRequests,
  waitFor,
  watchllm,
} from "./helpers.ts";

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe("provider keys", () => {
  it("reach the upstream and appear nowhere in D1 or the Worker's local state", async () => {
    const project = await newProject();
    const key = providerKey("secret-provider-key");
    const eventIds: string[] = [];
    const noting: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      // (The openai client also fetches a `data:` URL once, to probe FormData support.)
      if (res.headers.has("WatchLLM-Event-Id")) eventIds.push(res.headers.get("WatchLLM-Event-Id")!);
      return res;
    };
    const headers = watchllm(project.ingestKey, { "WatchLLM-Property-Marker": "privacy-marker" });
    const openai = new OpenAI({
      apiKey: key,
      baseURL: `${base}/gateway/openai/v1`,
      maxRetries: 0,
      fetch: noting,
      defaultHeaders: headers,
    });
    const cached = openai.withOptions({ defaultHeaders: { ...headers, "WatchLLM-Cache": "true" } });
    const anthropic = new Anthropic({
      apiKey: key,
      baseURL: `${base}/gateway/anthropic`,
      maxRetries: 0,
      fetch: noting,
      defaultHeaders: headers,
    });
    const messages = [{ role: "user" as const, content: "Keep my key safe." }];

    await openai.chat.completions.create({ model: "gpt-4o-mini", messages });
    for await (const _ of await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    }));
    await cached.chat.completions.create({ model: "gpt-4o-mini", messages });
    await storedEvent(project.projectId, eventIds.at(-1)!); // stored in the cache by now
    const hit = await cached.chat.completions.create({ model: "gpt-4o-mini", messages }).asResponse();
    expect(hit.headers.get("WatchLLM-Cache")).toBe("HIT");
    await openai.chat.completions
      .create({ model: "gpt-4o-mini", messages }, { headers: { "X-Fake-Scenario": "500" } })
      .catch(() => undefined);
    for await (const chunk of await openai.chat.completions.create(
      { model: "gpt-4o-mini", messages, stream: true },
      { headers: { "X-Fake-Scenario": "slow" } },
    )) {
      if (chunk.choices[0]?.delta.content?.includes("tick1")) break;
    }
    await openai.audio.transcriptions.create({
      file: await toFile(Buffer.from(`audio ${key}`), "a.wav"),
      model: "whisper-1",
    });
    await anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 10, messages });
    expect(eventIds).toHaveLength(8);

    const seen = await upstreamRequests(key);
    expect(seen).toHaveLength(7); // the cache hit didn't reach the upstream
    expect(seen.every((r) => r.headers.authorization === `Bearer ${key}`)).toBe(true);
    for (const id of eventIds) await storedEvent(project.projectId, id);

    // The scans can see what is stored: the events and their metadata are there; the key is not.
    const dump = await waitFor(
      () => dumpDatabase(),
      (d) => eventIds.every((id) => d.includes(id)),
    );
    expect(dump).toContain("privacy-marker");
    expect(dump).not.toContain(key);
    const secret = key.slice("sk-test-".length);
    expect(dump).not.toContain(secret);

    const stateFiles = filesUnder(inject("stateDir"));
    expect(stateFiles.some((f) => readFileSync(f).includes("privacy-marker"))).toBe(true);
    expect(stateFiles.filter((f) => readFileSync(f).includes(secret))).toEqual([]);
  });
});

describe("omitting bodies", () => {
  it("keeps a call's input and output out of the recording when asked (WatchLLM-Omit-Request / -Response)", async () => {
    const project = await newProject();
    const key = providerKey("omit");
    const content = `private words ${crypto.randomUUID()}`;
    const call = (omit: Record<string, string>) =>
      new OpenAI({
        apiKey: key,
        baseURL: `${base}/gateway/openai/v1`,
        maxRetries: 0,
        defaultHeaders: watchllm(project.ingestKey, omit),
      }).chat.completions
        .create({ model: "gpt-4o-mini", messages: [{ role: "user", content }], temperature: 0 })
        .withResponse();
    const both = await call({ "WatchLLM-Omit-Request": "true", "WatchLLM-Omit-Response": "true" });
    const request = await call({ "WatchLLM-Omit-Request": "true" });
    expect(both.data.choices[0]!.message.content).toBe("Hello from the fake upstream.");

    const bothEvent = await storedEvent(project.projectId, both.response.headers.get("WatchLLM-Event-Id")!);
    expect(bothEvent.bodyJson).toEqual({});
    // Still a priced model call.
    expect(bothEvent).toMatchObject({
      type: "model_response",
      input_tokens: 12,
      output_tokens: 7,
      cost_source: "price_table",
    });
    expect(bothEvent.contextJson.metadata.omitted).toEqual(["request", "response"]);
    const requestEvent = await storedEvent(project.projectId, request.response.headers.get("WatchLLM-Event-Id")!);
    expect(requestEvent.bodyJson).toEqual({ output: { role: "assistant", content: "Hello from the fake upstream." } });
    expect(await dumpDatabase()).not.toContain(content);
  });
});
