// `npm run bench:fairness [-- --small] [--seconds N] [--events N] [--no-fair-share]`: does one project's flood slow the
// others? Three projects send one request a second each (N events, one new trace per request) while we poll their
// trace lists and time each trace from the request's start to its first appearance (ingest to visible). Three phases
// on one instance (real Worker, queues, consumer and Rate Limiting bindings under `wrangler dev`): quiet; a fourth
// project flooding at 10× their rate with the per-project rate limit at the door (20 requests per 10 s here); the same
// flood from a project whose plan names no limiter. Each project's requests past its fair share (15 per 10 s here) go
// to the bulk queue; `--no-fair-share` runs the same with one queue. Prints the steady projects' p50/p95 per phase and
// the flood's accepted/refused requests.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, type SignedUp, signUpOn, startDevServer } from "../scripts/dev-server.ts";
import { applyMigrations } from "../scripts/local-d1.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) =>
  args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
const small = args.includes("--small");
const SECONDS = option("--seconds", small ? 8 : 20);
const EVENTS = option("--events", small ? 20 : 50);
const STEADY_PER_SECOND = 1;
const FLOOD_PER_SECOND = 10 * STEADY_PER_SECOND;
const LIMIT = { limit: 20, period: 10 };
const POLL_MS = 200;

const percentile = (xs: number[], p: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]! : Number.NaN;

/** Each project's fair share of the main queue (FAIR_SHARE_LIMIT): past it, requests go to the bulk queue.
 * `--no-fair-share` sets it out of reach, for the same run without the second lane. */
const noFairShare = args.includes("--no-fair-share");
const FAIR_SHARE = { limit: noFairShare ? 1_000_000 : 15, period: 10 };

// The instance's own config: wrangler.toml with the bench's per-project limits (kept beside it: paths are relative).
const config = "wrangler.bench-fairness.toml";
const limiter = (name: string, limit: { limit: number; period: number }) => (toml: string) =>
  toml.replace(
    new RegExp(`(name = "${name}"\\n[^\\[]*?)simple = \\{ limit = \\d+, period = \\d+ \\}`),
    `$1simple = { limit = ${limit.limit}, period = ${limit.period} }`,
  );
const toml = [limiter("INGEST_RATE_LIMIT", LIMIT), limiter("FAIR_SHARE_LIMIT", FAIR_SHARE)].reduce(
  (text, edit) => edit(text),
  readFileSync("wrangler.toml", "utf8"),
);
if (!toml.includes(`simple = { limit = ${FAIR_SHARE.limit}, period = ${FAIR_SHARE.period} }`))
  throw new Error("wrangler.toml has no FAIR_SHARE_LIMIT to set");
writeFileSync(config, toml);
const state = mkdtempSync(join(tmpdir(), "watchllm-bench-fairness-"));
applyMigrations({ persistTo: state });
const server = await startDevServer({
  port: await freePort(),
  persistTo: state,
  config,
  quiet: !process.env.VERBOSE,
  vars: { SIGNUP_MODE: "open", PLANS: JSON.stringify({ "no-limiter": { rate_limiter: "NO_SUCH_BINDING" } }) },
});
const base = server.base;

const events = (trace: string) =>
  Array.from({ length: EVENTS }, (_, i) => ({
    event_id: `${trace}-${i}`,
    trace_id: trace,
    parent_event_id: i ? `${trace}-0` : null,
    type: i % 3 === 1 ? "model_response" : "span",
    name: `step ${i}`,
    timestamp: Date.now(),
    duration_ms: 12,
    model: i % 3 === 1 ? "gpt-4o-mini" : undefined,
    usage: i % 3 === 1 ? { input_tokens: 120, output_tokens: 40 } : undefined,
    body: { input: "a question of some length ".repeat(8), output: "an answer of some length ".repeat(8) },
  }));

const post = (t: SignedUp, trace: string) =>
  fetch(`${base}/api/v1/events`, {
    method: "POST",
    headers: { Authorization: `Bearer ${t.keys.ingest}`, "Content-Type": "application/json" },
    body: JSON.stringify({ events: events(trace) }),
  });

/** Sends `perSecond` requests a second for `seconds`; counts the answers by status. */
async function send(t: SignedUp, tag: string, perSecond: number, seconds: number, sent?: Map<string, number>) {
  const statuses = new Map<number, number>();
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let n = 0; n < perSecond * seconds; n++) {
    const due = start + (n * 1000) / perSecond;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    const trace = `${tag}-${n}`;
    sent?.set(trace, performance.now());
    pending.push(
      post(t, trace).then(async (res) => {
        await res.body?.cancel();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }),
    );
  }
  await Promise.all(pending);
  return statuses;
}

/** Polls a project's trace list until every sent trace shows; the latency of each, ms. */
async function watch(t: SignedUp, sent: Map<string, number>, done: () => boolean) {
  const seen = new Map<string, number>();
  for (;;) {
    const res = await fetch(`${base}/api/v1/traces?limit=100`, {
      headers: { Authorization: `Bearer ${t.keys.secret}` },
    });
    const now = performance.now();
    const { traces } = (await res.json()) as { traces: Array<{ trace_id: string }> };
    for (const { trace_id } of traces) if (sent.has(trace_id) && !seen.has(trace_id)) seen.set(trace_id, now);
    if (done() && [...sent.keys()].every((k) => seen.has(k))) break;
    if (done() && now - Math.max(...sent.values()) > 120_000) break; // give up on what never shows
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return [...sent].filter(([k]) => seen.has(k)).map(([k, at]) => seen.get(k)! - at);
}

async function phase(name: string, steady: SignedUp[], flood?: SignedUp) {
  let finished = false;
  const sent = steady.map(() => new Map<string, number>());
  const watching = steady.map((t, i) => watch(t, sent[i]!, () => finished));
  const [floodStatuses] = await Promise.all([
    flood ? send(flood, `${name}-flood`, FLOOD_PER_SECOND, SECONDS) : Promise.resolve(undefined),
    ...steady.map((t, i) => send(t, `${name}-steady-${i}`, STEADY_PER_SECOND, SECONDS, sent[i])),
  ]);
  finished = true;
  const latencies = (await Promise.all(watching)).flat();
  const expected = steady.length * STEADY_PER_SECOND * SECONDS;
  return {
    name,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    seen: latencies.length,
    expected,
    floodStatuses,
  };
}

try {
  const steady = [await signUpOn(base, "Steady"), await signUpOn(base, "Steady"), await signUpOn(base, "Steady")];
  const limited = await signUpOn(base, "Flood");
  const unlimited = await signUpOn(base, "Flood");
  const me = (await (await fetch(`${base}/api/me`, { headers: { Cookie: unlimited.cookie } })).json()) as {
    orgs: Array<{ id: string }>;
  };
  execFileSync("node", ["scripts/org-plan.ts", me.orgs[0]!.id, "no-limiter", "--persist-to", state], {
    stdio: "ignore",
  });
  // wrangler dev reloads the Worker when wrangler writes its own files: wait until it answers again.
  for (let ok = 0; ok < 2; ) ok = (await fetch(`${base}/api/health`).catch(() => null))?.ok ? ok + 1 : 0;
  // Warm-up: every project's first request pays the isolate's caches.
  for (const t of [...steady, limited, unlimited]) await (await post(t, `warm-${t.project.id}`)).body?.cancel();

  const rows = [
    await phase("quiet", steady),
    await phase("flood, rate limit at the door", steady, limited),
    await phase("flood, no rate limit", steady, unlimited),
  ];
  const quiet = rows[0]!;
  console.log(
    `\nbench:fairness — ${SECONDS} s per phase; 3 steady projects at ${STEADY_PER_SECOND} request/s of ${EVENTS} events` +
      `, a flood at ${FLOOD_PER_SECOND} requests/s; limit ${LIMIT.limit} requests per ${LIMIT.period} s per project; ` +
      (noFairShare
        ? "no fair share (one queue)\n"
        : `fair share ${FAIR_SHARE.limit} requests per ${FAIR_SHARE.period} s, the rest on the bulk queue\n`) +
      `machine: ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}; polling every ${POLL_MS} ms\n`,
  );
  console.log("| phase | steady p50 | steady p95 | seen | flood requests (status: count) | p95 vs quiet |");
  console.log("|---|---|---|---|---|---|");
  for (const r of rows) {
    const statuses = r.floodStatuses ? [...r.floodStatuses].map(([s, n]) => `${s}: ${n}`).join(", ") : "—";
    const ratio = r.p95 / quiet.p95;
    const verdict =
      r === quiet ? "baseline" : `${ratio.toFixed(2)}× ${ratio <= 2 ? "(goal ≤ 2×: met)" : "(goal ≤ 2×: not met)"}`;
    console.log(
      `| ${r.name} | ${Math.round(r.p50)} ms | ${Math.round(r.p95)} ms | ${r.seen}/${r.expected} | ${statuses} | ${verdict} |`,
    );
  }
} finally {
  await server.stop();
  rmSync(state, { recursive: true, force: true });
  rmSync(config, { force: true });
}
