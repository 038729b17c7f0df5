// Runs the SDK's delivery scenarios in whatever runtime executes this file (Deno, Bun, Node), each against its own
// tenant of the fault server, and prints one JSON line per scenario with what it sent; the test checks what the
// server received. Usage: `<runtime> driver.ts <scenario>=<tenant base URL> ...`
import { createClient, observeFetch, type WatchLLMError } from "../../../sdk/js/src/index.ts";
import { waitFor } from "../../support/wait.ts";

type Result = { scenario: string; sent: number; queuedAfterFirstFlush?: number; errors: string[] };

const args: string[] = (globalThis as { Deno?: { args: string[] } }).Deno?.args ?? process.argv.slice(2);

function clientFor(base: string, errors: string[], options: Parameters<typeof createClient>[0] = {}) {
  return createClient({
    apiKey: "wl_ingest_test",
    baseUrl: base,
    flushIntervalMs: 50,
    // Long enough that a loaded machine's slow answer is not taken for a hang (which retries and duplicates); the
    // faults scenario, whose server hangs on purpose, sets its own short timeout.
    timeoutMs: 10_000,
    backoffMs: 20,
    onError: (e: WatchLLMError) => errors.push(e.code),
    ...options,
  });
}

/** `n` logs and the root span of one trace: n + 1 events. */
function record(client: ReturnType<typeof createClient>, n: number) {
  const trace = client.trace({ name: "load", userId: "u1" });
  for (let i = 0; i < n; i++) trace.log(`event ${i}`, { i });
  trace.end();
  return n + 1;
}

const scenarios: Record<string, (base: string, errors: string[]) => Promise<Omit<Result, "scenario" | "errors">>> = {
  /** 25 events with flushAt 10: three batches. */
  async batches(base, errors) {
    const client = clientFor(base, errors, { flushAt: 10 });
    const sent = record(client, 24);
    await client.shutdown();
    return { sent };
  },
  /** Random 500s, dropped connections, lost acknowledgements and hangs (set by the test): flush until delivered. */
  async faults(base, errors) {
    const client = clientFor(base, errors, { flushAt: 20, maxRetries: 3, timeoutMs: 300 });
    const sent = record(client, 199);
    for (let i = 0; i < 40 && client.queued; i++) await client.flush();
    await client.shutdown();
    return { sent };
  },
  /** A 1.5 s outage: the first flush gives everything back to the queue; the timer delivers it afterwards. */
  async outage(base, errors) {
    await fetch(`${base}/__faults`, { method: "POST", body: JSON.stringify({ outageUntil: Date.now() + 1_500 }) });
    const client = clientFor(base, errors, { maxRetries: 2, flushIntervalMs: 200 });
    const sent = record(client, 29);
    await client.flush();
    const queuedAfterFirstFlush = client.queued;
    await waitFor(() => client.queued === 0);
    await client.shutdown();
    return { sent, queuedAfterFirstFlush };
  },
  /** 429 with Retry-After: 1 (set by the test), lifted once the first attempt was refused. */
  async "retry-after"(base, errors) {
    const client = clientFor(base, errors, { maxRetries: 2 });
    const sent = record(client, 0);
    const flushed = client.flush();
    await waitFor(
      async () => ((await (await fetch(`${base}/__received`)).json()) as { requests: [] }).requests.length > 0,
    );
    await fetch(`${base}/__faults`, { method: "POST", body: "{}" });
    await flushed;
    await client.shutdown();
    return { sent };
  },
  /** observeFetch on a streamed chat completion read to the end, and on a slow one cancelled after three chunks. */
  async streams(base, errors) {
    const client = clientFor(base, errors, { flushAt: 1000, flushIntervalMs: 60_000 });
    const traced = observeFetch(fetch, { client });
    const call = (model: string) =>
      traced(`${base}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model, stream: true, messages: [], stream_options: { include_usage: true } }),
      });
    await (await call("gpt-4o-mini")).text();
    const reader = (await call("slow")).body!.getReader();
    for (let i = 0; i < 3; i++) await reader.read();
    await reader.cancel();
    await waitFor(() => client.queued === 2);
    await client.shutdown();
    return { sent: 2 };
  },
};

await Promise.all(
  args.map(async (arg) => {
    const [scenario, base] = arg.split(/=(.*)/) as [string, string];
    const errors: string[] = [];
    const result: Result = { scenario, ...(await scenarios[scenario]!(base, errors)), errors };
    console.log(JSON.stringify(result));
  }),
);
