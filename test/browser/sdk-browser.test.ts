// The SDK in a real browser: with flushOnPageExit, events still queued when the page is hidden or left are handed to
// keepalive fetch and arrive at the Worker; an end user's thumbs sent from a page with the browser-safe ingest key land
// on the trace, and that key can neither replace a member's annotation nor read anything back.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { signUpOn } from "../../scripts/dev-server.ts";
import { createClient } from "../../sdk/js/src/index.ts";
import { launch } from "./browser.ts";

const base = inject("baseUrl");
let browser: Browser;
let bundle: string;
let keys: { ingest: string; secret: string };

beforeAll(async () => {
  browser = await launch();
  const out = await build({
    entryPoints: ["sdk/js/src/index.ts"],
    bundle: true,
    format: "iife",
    globalName: "WatchLLM",
    platform: "browser",
    write: false,
  });
  bundle = out.outputFiles[0]!.text;
  const res = await fetch(`${base}/api/auth/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: base },
    body: JSON.stringify({
      email: `sdk-browser-${Date.now()}@example.com`,
      password: "correct horse battery",
      name: "Browser",
    }),
  });
  keys = ((await res.json()) as { keys: typeof keys }).keys;
});
afterAll(async () => browser?.close());

const spanCount = async (traceId: string) => {
  const res = await fetch(`${base}/api/v1/traces/${traceId}`, { headers: { Authorization: `Bearer ${keys.secret}` } });
  return res.ok ? ((await res.json()) as { trace: { span_count: number } }).trace.span_count : 0;
};

describe("SDK in the browser", () => {
  it("delivers queued events when the page is hidden, and when it is left", async () => {
    // The SDK is injected as an inline script, which the dashboard's CSP rightly refuses: this page is the app's
    // origin standing in for a customer's page, so the test's context bypasses CSP.
    const page = await (await browser.newContext({ bypassCSP: true })).newPage();
    await page.goto(`${base}/login`);
    await page.addScriptTag({ content: bundle });
    // A long interval and a big batch: nothing is sent unless the page-exit path sends it.
    const record = (name: string) =>
      page.evaluate(
        ([key, url, traceName]) => {
          const w = window as unknown as {
            WatchLLM: typeof import("../../sdk/js/src/index.ts");
            client?: ReturnType<typeof import("../../sdk/js/src/index.ts").createClient>;
          };
          if (!w.client) {
            w.client = w.WatchLLM.createClient({ apiKey: key, baseUrl: url, flushAt: 1000, flushIntervalMs: 600_000 });
            w.WatchLLM.flushOnPageExit(w.client);
          }
          const trace = w.client.trace({ name: traceName! });
          trace.log("from the browser");
          trace.modelResponse({ model: "gpt-4o-mini", usage: { input_tokens: 5, output_tokens: 1 } });
          trace.end();
          return { traceId: trace.traceId, queued: w.client.queued };
        },
        [keys.ingest, base, name] as const,
      );

    const hidden = await record("hidden");
    expect(hidden.queued).toBe(3);
    await page.evaluate(() => {
      Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
      document.dispatchEvent(new Event("visibilitychange", { bubbles: true }));
    });
    await expect.poll(() => spanCount(hidden.traceId), { timeout: 15_000 }).toBe(3);

    await page.evaluate(() =>
      Object.defineProperty(document, "visibilityState", { value: "visible", configurable: true }),
    );
    const left = await record("left");
    expect(left.queued).toBe(3);
    await page.goto("about:blank"); // pagehide
    await expect.poll(() => spanCount(left.traceId), { timeout: 15_000 }).toBe(3);
    await page.close();
  });

  it("sends an end user's thumbs with the ingest key; that key can't replace an annotation or read", async () => {
    const account = await signUpOn(base, "Thumbs");
    const asSecret = { Authorization: `Bearer ${account.keys.secret}` };
    // The server side: a traced answer, and a member's annotation of it.
    const server = createClient({ apiKey: account.keys.secret, baseUrl: base });
    const trace = server.trace({ name: "answer", userId: "u-page" });
    trace.end({ output: "42" });
    await server.shutdown();
    await expect
      .poll(async () => (await fetch(`${base}/api/v1/traces/${trace.traceId}`, { headers: asSecret })).status)
      .toBe(200);
    const annotated = await fetch(`${base}/api/projects/${account.project.id}/scores`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: base, Cookie: account.cookie },
      body: JSON.stringify({
        score_id: "review-1",
        trace_id: trace.traceId,
        name: "verdict",
        value: "bad",
        comment: "wrong",
      }),
    });
    expect(annotated.status).toBe(201);

    // The customer's page, on an origin of its own (CORS is what lets it post), got trace.id from the server.
    const site = createServer((_, res) => res.writeHead(200, { "Content-Type": "text/html" }).end("<h1>Shop</h1>"));
    await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
    const siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    const page = await (await browser.newContext()).newPage();
    await page.goto(siteOrigin);
    await page.addScriptTag({ content: bundle });
    const sent = await page.evaluate(
      async ([key, url, traceId]) => {
        const { WatchLLM } = window as unknown as { WatchLLM: typeof import("../../sdk/js/src/index.ts") };
        const errors: unknown[] = [];
        const client = WatchLLM.createClient({ apiKey: key, baseUrl: url, onError: (e) => errors.push(String(e)) });
        client.score({ traceId: traceId!, name: "thumbs", value: true, source: "feedback", userId: "u-page" });
        // A page that tries to overwrite the reviewer's score by its id, in the same batch.
        client.score({ traceId: traceId!, name: "verdict", value: "good", source: "feedback", scoreId: "review-1" });
        await client.flush();
        // Reading is for the secret key: the scores route (open to pages for its POST) answers 403; the trace read
        // route doesn't even answer a page's preflight.
        const reads = await Promise.all(
          [`${url}/api/v1/scores?trace_id=${traceId}`, `${url}/api/v1/traces/${traceId}`].map((path) =>
            fetch(path, { headers: { Authorization: `Bearer ${key}` } }).then(
              (res) => res.status,
              () => "blocked",
            ),
          ),
        );
        return { errors, queued: client.queued, reads, origin: location.origin };
      },
      [account.keys.ingest, base, trace.traceId] as const,
    );
    expect(sent).toEqual({ errors: [], queued: 0, reads: [403, "blocked"], origin: siteOrigin });
    // Nor from anywhere else: the ingest key is refused by the read routes themselves.
    const asIngest = { Authorization: `Bearer ${account.keys.ingest}` };
    for (const path of [`/api/v1/scores?trace_id=${trace.traceId}`, `/api/v1/traces/${trace.traceId}`]) {
      expect((await fetch(`${base}${path}`, { headers: asIngest })).status).toBe(403);
    }

    type Score = {
      score_id: string;
      name: string;
      value: unknown;
      source: string;
      author_kind: string;
      comment: string;
    };
    const scoresOf = async () =>
      (
        (await (await fetch(`${base}/api/v1/traces/${trace.traceId}`, { headers: asSecret })).json()) as {
          scores: Score[];
        }
      ).scores;
    // Both scores of the batch went through the consumer together: once the thumbs show, the verdict was judged.
    await expect
      .poll(async () => (await scoresOf()).map((s) => s.name).sort(), { timeout: 15_000 })
      .toEqual(["thumbs", "verdict"]);
    const scores = await scoresOf();
    expect(scores.find((s) => s.name === "thumbs")).toMatchObject({
      value: true,
      source: "feedback",
      author_kind: "ingest",
    });
    expect(scores.find((s) => s.name === "verdict")).toMatchObject({
      score_id: "review-1",
      value: "bad",
      source: "annotation",
      author_kind: "member",
      comment: "wrong",
    });
    await page.close();
    site.close();
  });
});
