// `npm run bench:gateway [calls]`: what the gateway adds to a provider call. In one run, interleaved, against the same
// fake upstream on 127.0.0.1: the call made directly, the call through the gateway (real Worker under `wrangler dev`,
// recording on), and a no-op Worker route (GET /api/health: the local HTTP floor every Worker request pays). The
// gateway's own cost is gateway − direct − floor. Plain calls are timed to the end of the body, streamed calls to the
// first body byte (TTFB) and to the end.
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startDevServer } from "../scripts/dev-server.ts";
import { applyMigrations } from "../scripts/local-d1.ts";
import { startFakeUpstream } from "../test/support/fake-upstream.ts";

const CALLS = Number(process.argv[2] ?? 300);
const WARMUP = 30;
/**
 * No compression anywhere: the fake upstream doesn't compress, and wrangler dev (like Cloudflare's edge) would gzip the
 * Worker's JSON answers for clients that accept it, a cost a direct call to this upstream never pays.
 */
const IDENTITY = { "Accept-Encoding": "identity" };
const PORT = Number(process.env.BENCH_GATEWAY_PORT ?? (await freePort()));

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

/** Time to the first body byte and to the end of the body. */
async function timed(url: string, init: RequestInit) {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const reader = res.body!.getReader();
  let first: number | undefined;
  for (;;) {
    const { done } = await reader.read();
    first ??= performance.now();
    if (done) break;
  }
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return { ttfb: first! - t0, total: performance.now() - t0 };
}

const upstream = await startFakeUpstream();
const state = mkdtempSync(join(tmpdir(), "watchllm-bench-gateway-"));
applyMigrations({ persistTo: state });
const server = await startDevServer({
  port: PORT,
  persistTo: state,
  quiet: !process.env.VERBOSE,
  vars: { SIGNUP_MODE: "open", OPENAI_UPSTREAM_URL: `${upstream.url}/v1` },
});
try {
  const signup = await fetch(`${server.base}/api/auth/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: server.base },
    body: JSON.stringify({
      email: `bench-${Date.now()}@example.com`,
      password: "bench gateway password",
      name: "Bench",
    }),
  });
  const { keys } = (await signup.json()) as { keys: { ingest: string } };
  const body = (stream: boolean) =>
    JSON.stringify({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Say hello." }],
      ...(stream && { stream: true, stream_options: { include_usage: true } }),
    });
  const post = (stream: boolean, extra: Record<string, string> = {}): RequestInit => ({
    method: "POST",
    headers: { Authorization: "Bearer sk-bench", "Content-Type": "application/json", ...IDENTITY, ...extra },
    body: body(stream),
  });
  const gatewayAuth = { "WatchLLM-Auth": `Bearer ${keys.ingest}` };
  const cases = {
    "direct, plain": () => timed(`${upstream.url}/v1/chat/completions`, post(false)),
    "gateway, plain": () => timed(`${server.base}/gateway/openai/v1/chat/completions`, post(false, gatewayAuth)),
    "direct, streamed": () => timed(`${upstream.url}/v1/chat/completions`, post(true)),
    "gateway, streamed": () => timed(`${server.base}/gateway/openai/v1/chat/completions`, post(true, gatewayAuth)),
    "gateway, cache HIT": () =>
      timed(
        `${server.base}/gateway/openai/v1/chat/completions`,
        post(false, { ...gatewayAuth, "WatchLLM-Cache": "true" }),
      ),
    floor: () => timed(`${server.base}/api/health`, { headers: IDENTITY }),
  };
  type Name = keyof typeof cases;
  const names = Object.keys(cases) as Name[];
  const samples = Object.fromEntries(names.map((n) => [n, { ttfb: [] as number[], total: [] as number[] }])) as Record<
    Name,
    { ttfb: number[]; total: number[] }
  >;
  for (let i = 0; i < WARMUP + CALLS; i++) {
    // Interleaved, in a rotating order, so drift on this shared machine hits every case alike.
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length]!;
      const t = await cases[name]();
      if (i >= WARMUP) {
        samples[name].ttfb.push(t.ttfb);
        samples[name].total.push(t.total);
      }
    }
  }
  const p = (name: Name, what: "ttfb" | "total", q: number) => percentile(samples[name][what], q);
  const ms = (x: number) => x.toFixed(2);
  /** Per round, gateway − direct − floor (all three measured within the same few tens of ms), then the median. */
  const paired = (direct: Name, gateway: Name, what: "ttfb" | "total") =>
    percentile(
      samples[gateway][what].map((g, i) => g - samples[direct][what][i]! - samples.floor[what][i]!),
      50,
    );
  const row = (label: string, direct: Name, gateway: Name, what: "ttfb" | "total", goal: number) => {
    const added = p(gateway, what, 50) - p(direct, what, 50) - p("floor", what, 50);
    const cells = [
      `${ms(p(direct, what, 50))} / ${ms(p(direct, what, 95))}`,
      `${ms(p("floor", what, 50))} / ${ms(p("floor", what, 95))}`,
      `${ms(p(gateway, what, 50))} / ${ms(p(gateway, what, 95))}`,
      `**${ms(added)}**`,
      ms(paired(direct, gateway, what)),
      `< ${goal} ms: ${added < goal ? "met" : "not met"}`,
    ];
    return `| ${label} | ${cells.join(" | ")} |`;
  };
  const [load] = loadavg();
  console.log(
    `\nbench:gateway: ${CALLS} calls per case after ${WARMUP} warm-ups, interleaved; ms, p50 / p95; ${new Date().toISOString().slice(0, 16)}Z, load average ${load!.toFixed(1)} on ${cpus().length} cores\n`,
  );
  console.log(
    "| call | direct to upstream | floor: no-op Worker route | through the gateway | gateway − direct − floor (p50s) | same, median of per-round differences | goal |",
  );
  console.log("|---|---|---|---|---|---|---|");
  console.log(row("plain (whole answer)", "direct, plain", "gateway, plain", "total", 3));
  console.log(row("streamed, time to first byte", "direct, streamed", "gateway, streamed", "ttfb", 2));
  console.log(row("streamed, whole stream", "direct, streamed", "gateway, streamed", "total", 3));
  const hit = "gateway, cache HIT";
  console.log(
    `| plain, cache HIT (no upstream call) | — | ${ms(p("floor", "total", 50))} / ${ms(p("floor", "total", 95))} | ${ms(p(hit, "total", 50))} / ${ms(p(hit, "total", 95))} | ${ms(p(hit, "total", 50) - p("floor", "total", 50))} (over the floor) | — | — |`,
  );
} finally {
  await server.stop();
  await upstream.close();
  rmSync(state, { recursive: true, force: true });
}
