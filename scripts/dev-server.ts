// Starts `wrangler dev` and waits until the Worker answers; used by `npm start`, benchmarks and browser tests. Also a
// throwaway instance (its own migrated state in a temp folder) and signing a user up on it.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { migratedState, WRANGLER_ENV } from "./local-d1.ts";

/** A TCP port nothing listens on now (tests and benchmarks must never talk to someone else's server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export type DevServer = {
  base: string;
  process: ChildProcess;
  /** Stops wrangler; with `drain`, first waits (bounded) until the in-memory queue has written every accepted event. */
  stop: (options?: { drain?: boolean; timeoutMs?: number }) => Promise<{ drained: boolean; backlog: number }>;
};

type Health = { ok: boolean; queue_backlog?: number };

/** Polls the local backlog until it is 0 or `timeoutMs` passes; returns what was left. */
async function drain(base: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = (await (await fetch(`${base}/api/health`)).json().catch(() => ({}))) as Health;
    const left = health.queue_backlog ?? 0;
    if (left === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startDevServer(options: {
  port: number;
  persistTo?: string;
  config?: string;
  quiet?: boolean;
  vars?: Record<string, string>;
}) {
  const base = `http://127.0.0.1:${options.port}`;
  // Workers Assets wants its folder to exist; API-only runs (benchmarks, most tests) don't need the built dashboard.
  mkdirSync("dist/ui", { recursive: true });
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(options.port), "--show-interactive-dev-session=false"];
  // Lets local runs trigger the maintenance jobs a Cron Trigger runs in production (GET /cdn-cgi/handler/scheduled;
  // not /__scheduled, which Workers Assets answers with the dashboard for a fetch that says it navigates).
  args.push("--test-scheduled");
  if (options.persistTo) args.push("--persist-to", options.persistTo);
  if (options.config) args.push("--config", options.config);
  // A local server: requests don't pass through Cloudflare, so CF-Connecting-IP can't be trusted.
  const vars = { TRUST_CF_CONNECTING_IP: "false", LOCAL_MODE: "true", ...options.vars };
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  // Its own process group: a terminal's Ctrl-C reaches only our process, which drains the queue before stopping it.
  const child = spawn("wrangler", args, {
    stdio: ["ignore", options.quiet ? "ignore" : "inherit", options.quiet ? "ignore" : "inherit"],
    detached: true,
    env: { ...process.env, ...WRANGLER_ENV },
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const kill = () => {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, "SIGTERM");
  };
  process.once("exit", kill);
  const stop: DevServer["stop"] = async ({ drain: wait = false, timeoutMs = 15_000 } = {}) => {
    const left = wait && child.exitCode === null ? await drain(base, timeoutMs).catch(() => -1) : 0;
    kill();
    await exited;
    return { drained: left === 0, backlog: left };
  };
  // Up to 5 minutes: a cold `wrangler dev` takes 5–10 s on a quiet machine and far longer at load 30.
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/api/health`)).status < 500) return { base, process: child, stop } satisfies DevServer;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error("wrangler dev did not become ready in 300 s");
}

/**
 * A throwaway instance for tests and benchmarks: migrated local D1 (and R2) in a temp folder named after `tag`,
 * `wrangler dev` on a free port with open sign-up (plus `vars`); `stop` also deletes its state.
 */
export async function startScratchInstance(
  tag: string,
  options: { vars?: Record<string, string>; quiet?: boolean; immediateBatches?: boolean } = {},
) {
  const state = migratedState(tag);
  const config = options.immediateBatches ? immediateBatchesConfig(state) : undefined;
  const server = await startDevServer({
    port: await freePort(),
    persistTo: state,
    config,
    quiet: options.quiet ?? true,
    vars: { SIGNUP_MODE: "open", ...options.vars },
  });
  const stop: DevServer["stop"] = async (o) => {
    const result = await server.stop(o);
    rmSync(state, { recursive: true, force: true });
    if (config) rmSync(config, { force: true });
    return result;
  };
  return { ...server, state, stop };
}

/**
 * wrangler.toml with every queue consumer handed its messages at once (production waits up to a second to fill a
 * batch), for tests that wait on the queue after each write. Kept beside wrangler.toml (its paths are relative) under
 * a git-ignored name unique to the instance's state folder.
 */
function immediateBatchesConfig(state: string): string {
  const config = `wrangler.scratch-${state.split("-").at(-1)}.toml`;
  const toml = readFileSync("wrangler.toml", "utf8").replace(/^max_batch_timeout = \d+$/gm, "max_batch_timeout = 0");
  if (!toml.includes("max_batch_timeout = 0")) throw new Error("wrangler.toml has no max_batch_timeout to set");
  writeFileSync(config, toml);
  return config;
}

export type SignedUp = {
  cookie: string;
  project: { id: string; name: string };
  keys: { ingest: string; secret: string };
};

/** Signs a new user up on an instance (open sign-up): their session cookie (`name=value`), first project and keys. */
export async function signUpOn(base: string, name: string, password = "correct horse battery"): Promise<SignedUp> {
  const res = await fetch(`${base}/api/auth/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: base },
    body: JSON.stringify({ name, email: `${name.toLowerCase()}-${Date.now()}-${++signups}@example.com`, password }),
  });
  if (res.status !== 201) throw new Error(`sign-up answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as Omit<SignedUp, "cookie">;
  return { cookie: res.headers.get("set-cookie")!.split(";")[0]!, project: body.project, keys: body.keys };
}
let signups = 0;
