const root = process.argv[2] ?? "/work/wt-sdk";
const { createClient } = await import(`${root}/sdk/js/src/index.ts`);
const ok = (async () => new Response('{"accepted":0,"rejected":[]}', { status: 202 })) as typeof fetch;
const ITER = Number(process.env.ITER ?? 100_000);
for (let r = 0; r < 5; r++) {
const quiet = createClient({ apiKey: "wl_ingest_bench", fetch: ok, flushAt: 1000, flushIntervalMs: 60_000, maxQueueSize: 1_000_000 });
for (let i = 0; i < 10_000; i++) quiet.trace({ name: "warm" }).end();
const start = performance.now();
for (let i = 0; i < ITER; i++) {
  const trace = quiet.trace({ name: "agent", userId: "u1" });
  trace.modelResponse({ model: "gpt-4o", usage: { input_tokens: 100, output_tokens: 20 }, output: "hi", durationMs: 5 });
  trace.span({ name: "tool" }).end();
  trace.end();
}
console.log("ns/event", (((performance.now() - start) * 1e6) / (ITER * 4)).toFixed(0), quiet.queued);
}
