// Starts `wrangler dev` and waits until the Worker answers; used by `npm start`, benchmarks and browser tests.
import { type ChildProcess, spawn } from "node:child_process";

export type DevServer = { base: string; process: ChildProcess; stop: () => Promise<void> };

export async function startDevServer(options: {
  port: number;
  persistTo?: string;
  config?: string;
  quiet?: boolean;
  vars?: Record<string, string>;
}) {
  const base = `http://127.0.0.1:${options.port}`;
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(options.port), "--show-interactive-dev-session=false"];
  // Exposes /__scheduled so local runs can trigger the maintenance jobs a Cron Trigger runs in production.
  args.push("--test-scheduled");
  if (options.persistTo) args.push("--persist-to", options.persistTo);
  if (options.config) args.push("--config", options.config);
  for (const [name, value] of Object.entries(options.vars ?? {})) args.push("--var", `${name}:${value}`);
  const child = spawn("wrangler", args, {
    stdio: ["ignore", options.quiet ? "ignore" : "inherit", options.quiet ? "ignore" : "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
  };
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/api/health`)).status < 500) return { base, process: child, stop } satisfies DevServer;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error("wrangler dev did not become ready in 150 s");
}
