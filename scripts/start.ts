// `npm start`: build the dashboard, migrate and seed local D1, then run the real Worker with `wrangler dev`.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { ensureDemoAccount } from "./demo-account.ts";
import { loadDemoData } from "./demo-data.ts";
import { startDevServer } from "./dev-server.ts";
import { applyMigrations } from "./local-d1.ts";

const port = Number(process.env.PORT ?? 8787);
const step = (text: string) => console.log(`\x1b[36m›\x1b[0m ${text}`);

step("Building the dashboard (vite build)");
execFileSync("vite", ["build", "--logLevel", "warn"], { stdio: "inherit" });
step("Applying D1 migrations to the local database");
applyMigrations();
step("Ensuring the demo org, project and keys exist");
const demo = await ensureDemoAccount();

step(`Starting wrangler dev on 127.0.0.1:${port}`);
// Local instances let anyone sign up (self-hosted deployments default to invite-only; see README).
// The gateway's upstreams can be aimed at a local server (tests, offline demos): passed on when set.
const gatewayVars = Object.fromEntries(
  ["OPENAI_UPSTREAM_URL", "ANTHROPIC_UPSTREAM_URL", "GATEWAY_ALLOWED_HOSTS"].flatMap((name) =>
    process.env[name] ? [[name, process.env[name]!]] : [],
  ),
);
const server = await startDevServer({ port, vars: { SIGNUP_MODE: "open", ...gatewayVars } });
// The local queue lives in wrangler's memory: on Ctrl-C, let it write what it accepted before stopping (bounded).
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping: writing the events still on the local queue (up to 15 s; Ctrl-C again won't wait)…");
    process.once(signal, () => process.exit(130));
    const { drained, backlog } = await server.stop({ drain: true });
    console.log(drained ? "Every accepted event is stored. Bye." : `Stopped with ${backlog} event(s) still queued.`);
    process.exit(0);
  });
}
server.process.on("exit", (code: number | null) => {
  if (!stopping) process.exit(code ?? 0);
});

// Background jobs (e.g. indexing events an older version stored) run on a Cron Trigger when deployed; run them now.
await fetch(`${server.base}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("*/5 * * * *")}`);
// Deployed, the Cron Trigger runs every minute (alert rules; the jobs every fifth minute): here, this timer does.
setInterval(() => {
  fetch(`${server.base}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("* * * * *")}`).catch(() => undefined);
}, 60_000).unref();
step("Loading demo traces (idempotent: a second start adds nothing)");
const loaded = await loadDemoData(server.base, demo.ingestKey);
step(`Sent ${loaded} demo events through the ingest API (fixed ids: those already stored stay as they are)`);
// Demo events a previous version stored before it priced model calls get their costs now (new ones are priced on arrival).
let cursor: string | null = null;
do {
  const res: Response = await fetch(`${server.base}/api/v1/prices/recompute`, {
    method: "POST",
    headers: { Authorization: `Bearer ${demo.secretKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ from: Date.now() - 31 * 86_400_000, to: Date.now() + 3_600_000, ...(cursor && { cursor }) }),
  });
  cursor = res.ok ? ((await res.json()) as { next_cursor: string | null }).next_cursor : null;
} while (cursor);

// Where the gateway sends calls: wrangler.toml's defaults unless the environment named others (passed on above).
const upstreamOf = (name: string) =>
  process.env[name] ?? readFileSync("wrangler.toml", "utf8").match(new RegExp(`^${name}\\s*=\\s*"([^"]*)"`, "m"))?.[1];
const upstreams = [
  ["/gateway/openai/v1", "OPENAI_UPSTREAM_URL"],
  ["/gateway/anthropic/v1", "ANTHROPIC_UPSTREAM_URL"],
]
  .map(
    ([route, name]) =>
      `  ${route!.padEnd(22)} → ${upstreamOf(name!)}  (${name}${process.env[name!] ? "" : ", default"})`,
  )
  .join("\n");

const event = JSON.stringify({
  events: [
    {
      event_id: crypto.randomUUID(),
      trace_id: crypto.randomUUID(),
      type: "log",
      name: "hello",
      timestamp: Date.now(),
      body: { message: "first event" },
    },
  ],
});
console.log(`
\x1b[1mWatchLLM is running.\x1b[0m
  Dashboard: ${server.base}/
  Login:     ${demo.email} / ${demo.password}

WATCHLLM_INGEST_KEY=${demo.ingestKey}
WATCHLLM_SECRET_KEY=${demo.secretKey}

Send a first event:
curl -X POST ${server.base}/api/v1/events -H "Authorization: Bearer ${demo.ingestKey}" -H "Content-Type: application/json" -d '${event}'

Gateway upstreams (set the variable before \`npm start\` to point one at another server):
${upstreams}
`);
