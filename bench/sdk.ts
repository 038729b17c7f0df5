// `npm run bench:sdk`: the SDK's cost per recorded event, the cost of observing model calls (wrapping an `openai`
// client; reading a streamed answer through observeFetch), its browser bundle size, and delivery of 10,000 events
// under 30% random faults plus a 5-second outage, against the fault-injecting test server. `npm run bench:sdk -- size`:
// the bundle sizes only.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import OpenAI from "openai";
import { createClient, observeFetch, observeOpenAI } from "../sdk/js/src/index.ts";
import { startFaultServer } from "../test/sdk/fault-server.ts";

const fmt = (n: number) => n.toLocaleString("en-US");
const langfuseVersion = (name: string) =>
  (JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8")) as { version: string }).version;

// 1. What a browser downloads: the SDK bundled and minified, gzipped — all of it, and only the client (what an app
// that doesn't observe model calls ships, the rest tree-shaken away). What is bundled is the package as published:
// dist/ built by its own build (sdk/js/build.mjs: tsc, then its internal `_` names shortened), into a scratch folder.
const dist = mkdtempSync(join(tmpdir(), "watchllm-sdk-dist-"));
execFileSync(process.execPath, ["sdk/js/build.mjs", dist], { stdio: "inherit" });
/** Where a bundle's bytes are: minified bytes per source file (esbuild's metafile), largest first. */
let byFile = "";
async function bundleOf(exports: string, from = `${dist}/index.js`) {
  const out = await build({
    stdin: { contents: exports.replaceAll("FROM", from), resolveDir: ".", loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
  });
  const raw = out.outputFiles[0]!.contents;
  byFile = Object.entries(Object.values(out.metafile.outputs)[0]!.inputs)
    .filter(([, i]) => i.bytesInOutput > 0)
    .sort(([, a], [, b]) => b.bytesInOutput - a.bytesInOutput)
    .map(([file, i]) => `${file.replace(/^.*\//, "").replace(/\.[jt]s$/, "")} ${(i.bytesInOutput / 1024).toFixed(1)}`)
    .join(", ");
  return `${(gzipSync(raw, { level: 9 }).length / 1024).toFixed(2)} KB (${(raw.length / 1024).toFixed(1)} KB minified)`;
}
const fullBundle = await bundleOf('export * from "FROM";');
const fullByFile = byFile;
const clientBundle = await bundleOf('export { createClient } from "FROM";');
const clientByFile = byFile;
// A browser app opts into page-exit delivery; `watchllm/usage` (toUsage) is an entry of its own, outside "all".
const browserBundle = await bundleOf('export { createClient, flushOnPageExit } from "FROM";');
const usageBundle = await bundleOf('export { toUsage } from "FROM";', `${dist}/usage.js`);
// The same from src/, without the build's shortened names: what the build's renaming saves.
const fullFromSource = await bundleOf('export * from "FROM";', "./sdk/js/src/index.ts");
const clientFromSource = await bundleOf('export { createClient } from "FROM";', "./sdk/js/src/index.ts");
rmSync(dist, { recursive: true, force: true });
// The same measure of what an app imports from Langfuse's JS SDKs (devDependencies here): v3's client, and v5's
// tracing with its OpenTelemetry span processor and a tracer provider. LangSmith is not installed here.
const langfuse3 = await bundleOf('export { Langfuse } from "FROM";', "langfuse");
const langfuse5 = await bundleOf(
  'export { startActiveObservation } from "@langfuse/tracing"; export { LangfuseSpanProcessor } from "@langfuse/otel"; export { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";',
);

const sizeRows = [
  `| browser bundle (esbuild, minified, gzip -9) | ${fullBundle} |`,
  `| …only createClient (observeOpenAI/observeFetch tree-shaken) | ${clientBundle} |`,
  `| …createClient + flushOnPageExit (a browser app) | ${browserBundle} |`,
  `| \`watchllm/usage\` (toUsage), its own entry | ${usageBundle} |`,
  `| …all / only createClient bundled from src/ (no shortened internal names) | ${fullFromSource} / ${clientFromSource} |`,
  `| …by source file, KB minified: all | ${fullByFile} |`,
  `| …by source file, KB minified: only createClient | ${clientByFile} |`,
  `| Langfuse v3 (\`langfuse\` ${langfuseVersion("langfuse")}, \`Langfuse\`), same measure | ${langfuse3} |`,
  `| Langfuse v5 (\`@langfuse/tracing\` ${langfuseVersion("@langfuse/tracing")} + otel + tracer provider) | ${langfuse5} |`,
];
const header = ["| measure | result |", "|---|---|"];
// `npm run bench:sdk -- size`: the bundle sizes only (a few seconds; they are the same bytes whatever the load).
if (process.argv.includes("size")) {
  for (const row of [...header, ...sizeRows]) console.log(row);
  process.exit(0);
}

// 2. Hot path: a trace with a span and a model call (3 events), nothing sent.
const ok = (async () => new Response('{"accepted":0,"rejected":[]}', { status: 202 })) as typeof fetch;
const quiet = createClient({
  apiKey: "wl_ingest_bench",
  fetch: ok,
  flushAt: 1000,
  flushIntervalMs: 60_000,
  maxQueueSize: 1_000_000,
});
const ITER = 100_000;
const ROUND = 2_500;
for (let i = 0; i < 10_000; i++) quiet.trace({ name: "warm" }).end();
await quiet.flush();
// Rounds of 2,500 traces (10,000 events: the default maxQueueSize), each flushed before the next: the caller's thread
// records into a queue of the size it holds between flushes (not one of 400,000 events no app keeps, whose garbage
// made one long loop's figure swing ±20% between runs). Medians of the rounds: wall time, and this process's CPU time
// (what the caller's thread and V8's GC threads spent: on a shared machine the wall time also counts waiting for a
// core, the CPU time does not). What recording leaves for the flush (off the caller's call: the wire format, ids,
// JSON, sending to a fetch that answers at once) is timed apart, for the same events.
const wallNs: number[] = [];
const cpuNs: number[] = [];
let flushMs = 0;
for (let r = 0; r < ITER / ROUND; r++) {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < ROUND; i++) {
    const trace = quiet.trace({ name: "agent", userId: "u1" });
    trace.modelResponse({
      model: "gpt-4o",
      usage: { input_tokens: 100, output_tokens: 20 },
      output: "hi",
      durationMs: 5,
    });
    trace.span({ name: "tool" }).end();
    trace.end();
  }
  wallNs.push(((performance.now() - start) * 1e6) / (ROUND * 4));
  const cpu = process.cpuUsage(cpuBefore);
  cpuNs.push(((cpu.user + cpu.system) * 1e3) / (ROUND * 4));
  const flushStart = performance.now();
  await quiet.flush();
  flushMs += performance.now() - flushStart;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const nsPerEvent = median(wallNs);
const cpuNsPerEvent = median(cpuNs);
const flushNsPerEvent = (flushMs * 1e6) / (ITER * 4);

// 2b. Observing model calls: wrapping a client (per request, to record under that request's trace), and a streamed
// chat completion (60 events, in memory) read to the end through observeFetch, each beside its baseline.
const perCall = (run: () => unknown, n: number) => {
  for (let i = 0; i < n / 10; i++) run();
  const t = performance.now();
  for (let i = 0; i < n; i++) run();
  return ((performance.now() - t) * 1000) / n;
};
const perCallAsync = async (run: () => Promise<unknown>, n: number) => {
  for (let i = 0; i < n / 10; i++) await run();
  const t = performance.now();
  for (let i = 0; i < n; i++) await run();
  return ((performance.now() - t) * 1000) / n;
};
const openai = new OpenAI({ apiKey: "sk-bench" });
const newClientUs = perCall(() => new OpenAI({ apiKey: "sk-bench" }), 2_000);
const observeUs = perCall(() => observeOpenAI(openai, { client: quiet }), 2_000);
const chunk = (content: string) =>
  `data: ${JSON.stringify({ model: "gpt-4o", choices: [{ index: 0, delta: { content } }] })}\n\n`;
const sseBody = `${Array.from({ length: 60 }, (_, i) => chunk(`token${i} `)).join("")}data: [DONE]\n\n`;
const upstream = (async () =>
  new Response(sseBody, { headers: { "content-type": "text/event-stream" } })) as typeof fetch;
const observed = observeFetch(upstream, { client: quiet });
const call = (f: typeof fetch) => async () =>
  (
    await f("https://api.openai.com/v1/chat/completions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"model":"gpt-4o","stream":true}',
    })
  ).text();
const plainStreamUs = await perCallAsync(call(upstream), 5_000);
const observedStreamUs = await perCallAsync(call(observed), 5_000);

await quiet.shutdown();

// 3. Delivery under faults: 10% 500s, 10% connections dropped before and 5% after storing, 5% hangs; and a 5 s outage.
const server = await startFaultServer();
const base = `${server.url}/t/bench`;
const errors: string[] = [];
const client = createClient({
  apiKey: "wl_ingest_test",
  baseUrl: base,
  flushAt: 100,
  flushIntervalMs: 200,
  timeoutMs: 1_000,
  onError: (e) => errors.push(e.code),
});
const TOTAL = 10_000;
const start = performance.now();
await fetch(`${base}/__faults`, {
  method: "POST",
  body: JSON.stringify({ error500: 0.1, dropBefore: 0.1, dropAfter: 0.05, hang: 0.05 }),
});
let outageSet = false;
for (let i = 0; i < TOTAL; i++) {
  client.trace({ name: `t${i}` }).end();
  if (i % 100 === 99) await new Promise((r) => setTimeout(r, 20)); // ~3 s of steady traffic
  if (!outageSet && performance.now() - start > 1_000) {
    outageSet = true;
    await fetch(`${base}/__faults`, {
      method: "POST",
      body: JSON.stringify({
        error500: 0.1,
        dropBefore: 0.1,
        dropAfter: 0.05,
        hang: 0.05,
        outageUntil: Date.now() + 5_000,
      }),
    });
  }
}
const deadline = Date.now() + 120_000;
while (client.queued && Date.now() < deadline) await client.flush();
const elapsed = (performance.now() - start) / 1000;
const { counts, requests, statuses } = (await (await fetch(`${base}/__received`)).json()) as {
  counts: Record<string, number>;
  requests: number[];
  statuses: string[];
};
await server.close();
const unique = Object.keys(counts).length;
const copies = Object.values(counts).reduce((a, b) => a + b, 0);
const failedRequests = statuses.filter((s) => s !== "202").length;

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(", ")} on this machine`,
);
for (const row of header) console.log(row);
console.log(
  `| recording cost (trace + span + model call, nothing sent; median of 40 rounds of 10,000 events) | ${nsPerEvent.toFixed(0)} ns per event (CPU: ${cpuNsPerEvent.toFixed(0)} ns) |`,
);
console.log(
  `| …then the flush of those events (wire format, ids, JSON, a fetch) | ${flushNsPerEvent.toFixed(0)} ns per event |`,
);
console.log(
  `| observeOpenAI(client) (a client made by its withOptions) | ${observeUs.toFixed(0)} µs (new OpenAI(): ${newClientUs.toFixed(0)} µs) |`,
);
console.log(
  `| streamed chat completion (60 events, in memory) read through observeFetch | ${observedStreamUs.toFixed(0)} µs per call (unobserved: ${plainStreamUs.toFixed(0)} µs) |`,
);
for (const row of sizeRows) console.log(row);
console.log(
  `| delivered under 30% faults + 5 s outage | ${fmt(unique)} / ${fmt(TOTAL)} events (${((unique / TOTAL) * 100).toFixed(2)}%) in ${elapsed.toFixed(1)} s |`,
);
console.log(`| requests / failed by the server | ${fmt(requests.length)} / ${fmt(failedRequests)} |`);
console.log(`| duplicate deliveries (lost acks, deduplicated by event_id) | ${fmt(copies - unique)} |`);
console.log(`| errors reported to onError | ${fmt(errors.length)} (${[...new Set(errors)].join(", ") || "none"}) |`);
