// A scratch WatchLLM instance for end-to-end tests in other languages (the Python SDK's pytest suite): migrated local
// D1 in a temp folder, `wrangler dev` with open sign-up on a free port, one signed-up user. Prints one JSON line
// `{base, ingest_key, secret_key, project_id}` on stdout, then runs until its stdin closes or it gets SIGTERM/SIGINT.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startDevServer } from "./dev-server.ts";
import { applyMigrations } from "./local-d1.ts";

// Workers Assets wants its folder to exist; the API under test doesn't need the built dashboard.
mkdirSync("dist/ui", { recursive: true });
const state = mkdtempSync(join(tmpdir(), "watchllm-e2e-"));
applyMigrations({ persistTo: state });
const server = await startDevServer({
  port: await freePort(),
  persistTo: state,
  quiet: true,
  vars: { SIGNUP_MODE: "open" },
});

let stopping = false;
async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  await server.stop();
  rmSync(state, { recursive: true, force: true });
  process.exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop(0));
process.stdin.on("end", () => void stop(0));
process.stdin.on("error", () => void stop(0));
process.stdin.resume();
server.process.on("exit", () => void stop(1));

try {
  const res = await fetch(`${server.base}/api/auth/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: server.base },
    body: JSON.stringify({ email: `e2e-${Date.now()}@example.com`, password: "correct horse battery", name: "E2E" }),
  });
  if (res.status !== 201) throw new Error(`sign-up answered ${res.status}: ${await res.text()}`);
  const { keys, project } = (await res.json()) as { keys: { ingest: string; secret: string }; project: { id: string } };
  const line = { base: server.base, ingest_key: keys.ingest, secret_key: keys.secret, project_id: project.id };
  process.stdout.write(`${JSON.stringify(line)}\n`);
} catch (err) {
  console.error(err);
  await stop(1);
}
