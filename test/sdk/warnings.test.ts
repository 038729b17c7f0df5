// Without onError the SDK is not silent: a refused key or rejected events print one clear console warning per kind;
// `debug: true` prints all of them and each batch sent; `onError` replaces the warnings.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createClient, type WatchLLMError } from "../../sdk/js/src/index.ts";
import { tenant } from "./helpers.ts";

/** Silences console.warn and returns what was printed so far, as a function. */
function captureWarnings() {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  return Object.assign(() => warn.mock.calls.map((args) => String(args[0])), {
    clear: () => warn.mockClear(),
    /** What was printed beside each warning: the error's details (the server's reasons). */
    details: () => warn.mock.calls.map((args) => args[1]),
  });
}

describe("delivery warnings", () => {
  afterEach(() => vi.restoreAllMocks());

  it("prints one warning naming the refused key, however many batches are refused", async () => {
    const warnings = captureWarnings();
    const t = await tenant();
    const client = createClient({ apiKey: "wl_ingest_wrong", baseUrl: t.base, backoffMs: 10 });
    for (let i = 0; i < 3; i++) {
      client.trace({ name: `refused-${i}` }).end();
      await client.flush();
    }
    expect((await t.received()).statuses).toEqual(["401", "401", "401"]);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain("http_401: The API key is not valid: check the key");
    expect(warnings()[0]).toContain(t.base);
  });

  it("prints rejected events with the first reason, once per kind", async () => {
    const warnings = captureWarnings();
    const t = await tenant();
    const client = createClient({ apiKey: "wl_ingest_test", baseUrl: t.base, backoffMs: 10 });
    for (let i = 0; i < 2; i++) {
      const trace = client.trace({ name: "partly-bad" });
      trace.modelResponse({ model: "m".repeat(200) });
      trace.end();
      await client.flush();
    }
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatch(/1 of 2 events rejected: .*model/s);
    expect(warnings.details()[0]).toMatchObject([{ index: 0, code: "invalid_event" }]);
  });

  it("prints everything with debug, and nothing but onError's own handling when onError is given", async () => {
    const warnings = captureWarnings();
    const debugLines = vi.spyOn(console, "debug").mockImplementation(() => {});
    const t = await tenant();
    const loud = createClient({ apiKey: "wl_ingest_wrong", baseUrl: t.base, backoffMs: 10, debug: true });
    for (let i = 0; i < 2; i++) {
      loud.trace({ name: "refused" }).end();
      await loud.flush();
    }
    expect(warnings()).toHaveLength(2);
    expect(debugLines.mock.calls.map((a) => String(a[0]))).toEqual([
      "WatchLLM sent 1 events: HTTP 401",
      "WatchLLM sent 1 events: HTTP 401",
    ]);

    warnings.clear();
    const seen: WatchLLMError[] = [];
    const handled = createClient({ apiKey: "wl_ingest_wrong", baseUrl: t.base, onError: (e) => seen.push(e) });
    handled.trace({ name: "refused" }).end();
    await handled.flush();
    expect(seen.map((e) => e.code)).toEqual(["http_401"]);
    expect(warnings()).toEqual([]);
  });

  it("says once that nothing is recorded when no apiKey is given, and not when disabled on purpose", async () => {
    const warnings = captureWarnings();
    const client = createClient({ apiKey: process.env.WATCHLLM_UNSET_IN_TESTS, baseUrl: "http://127.0.0.1:9" });
    client.trace({ name: "not-recorded" }).end();
    await client.flush();
    expect(client.queued).toBe(0);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain("No apiKey: nothing recorded");
    expect(warnings()[0]).toContain("WATCHLLM_INGEST_KEY");

    warnings.clear();
    createClient({ enabled: false });
    const seen: WatchLLMError[] = [];
    createClient({ onError: (e) => seen.push(e) });
    expect(warnings()).toEqual([]);
    expect(seen.map((e) => e.code)).toEqual(["no_api_key"]);
  });
});
