// The package as built (sdk/js/build.mjs: tsc, then the SDK's internal `_` names shortened in every file, the same
// name for the same property across files) records and delivers what src/ does: the bundle-size figures of
// `bench:sdk` are of this build, so it must be the same SDK.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wireEvent } from "../../contract/event.ts";
import { receivedEvents, tenant } from "./helpers.ts";

type Sdk = typeof import("../../sdk/js/src/index.ts");
const dist = mkdtempSync(join(tmpdir(), "watchllm-built-"));
let built: Sdk;

beforeAll(async () => {
  execFileSync(process.execPath, ["sdk/js/build.mjs", dist], { stdio: "pipe" });
  built = (await import(pathToFileURL(join(dist, "index.js")).href)) as Sdk;
}, 120_000);
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe("the built package", () => {
  it("has no internal `_` name left, and keeps the public ones", () => {
    const code = readdirSync(dist)
      .filter((f) => f.endsWith(".js"))
      .map((f) => readFileSync(join(dist, f), "utf8"))
      .join("\n");
    expect(code).not.toMatch(/\._[A-Za-z]/);
    expect(code).toMatch(/\bflushIntervalMs\b/);
    expect(readFileSync(join(dist, "span.d.ts"), "utf8")).toMatch(/modelResponse\(options: ModelResponseOptions\)/);
  });

  it("records and delivers the same events as the source: ids, parents, context, bodies, model fields", async () => {
    const t = await tenant();
    const client = built.createClient({
      apiKey: "wl_ingest_test",
      baseUrl: t.base,
      environment: "staging",
      flushAt: 1000,
      onError: (e) => t.errors.push(e),
    });
    const trace = client.trace({ name: "built", userId: "u-1", sessionId: "s-1", tags: ["a"], metadata: { k: 1 } });
    trace.span({ name: "step", input: 1 }).end({ output: 2 });
    trace.modelResponse({ model: "gpt-4o-mini", usage: { input_tokens: 3, output_tokens: 1 }, durationMs: 4 });
    trace.toolCall({ name: "search", input: { q: "x" }, output: ["hit"], durationMs: 2 });
    trace.log("answered", { ok: true });
    trace.error(new TypeError("bad tool"));
    trace.end({ output: "done" });
    const events = await receivedEvents(t, client, 6);
    for (const e of events) expect(wireEvent.safeParse(e).error).toBeUndefined();
    const root = events.find((e) => e.name === "built")!;
    expect(root).toMatchObject({
      event_id: trace.id,
      trace_id: trace.traceId,
      parent_event_id: null,
      status: "error",
      body: { output: "done" },
      context: { environment: "staging", user_id: "u-1", session_id: "s-1", tags: ["a"], metadata: { k: 1 } },
    });
    const by = (name: string) => events.find((e) => e.name === name)!;
    for (const name of ["step", "gpt-4o-mini", "search", "log", "TypeError"])
      expect(by(name)).toMatchObject({ parent_event_id: trace.id, trace_id: trace.traceId });
    expect(by("step").body).toEqual({ input: 1, output: 2 });
    expect(by("gpt-4o-mini")).toMatchObject({ model: "gpt-4o-mini", usage: { input_tokens: 3 }, duration_ms: 4 });
    expect(by("TypeError")).toMatchObject({ type: "error", body: { message: "bad tool", error_type: "TypeError" } });
    expect(t.errors).toEqual([]);
  });

  it("hands what is queued to keepalive fetch when the page is hidden (flushOnPageExit)", () => {
    const g = globalThis as Record<string, unknown>;
    const listeners = new Map<string, (e: { type: string }) => void>();
    g.document = { visibilityState: "hidden" };
    g.addEventListener = (type: string, fn: (e: { type: string }) => void) => listeners.set(type, fn);
    g.removeEventListener = (type: string) => listeners.delete(type);
    try {
      const posts: { url: string; init: RequestInit }[] = [];
      const client = built.createClient({
        apiKey: "wl_ingest_test",
        baseUrl: "http://127.0.0.1:9/",
        flushIntervalMs: 60_000,
        fetch: async (url, init) => {
          posts.push({ url: String(url), init: init! });
          return new Response("{}", { status: 202 });
        },
      });
      const stop = built.flushOnPageExit(client);
      client.trace({ name: "leaving" }).end();
      listeners.get("visibilitychange")!({ type: "visibilitychange" });
      expect(client.queued).toBe(0);
      expect(posts).toHaveLength(1);
      expect(posts[0]!.url).toBe("http://127.0.0.1:9/api/v1/events?api_key=wl_ingest_test");
      expect(posts[0]!.init.keepalive).toBe(true);
      expect(JSON.parse(posts[0]!.init.body as string).events[0]).toMatchObject({ name: "leaving", type: "span" });
      stop();
      expect(listeners.size).toBe(0);
    } finally {
      delete g.document;
      delete g.addEventListener;
      delete g.removeEventListener;
    }
  });
});
