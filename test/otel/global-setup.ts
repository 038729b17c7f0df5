// Starts one scratch WatchLLM instance under `wrangler dev` (migrated local D1, open sign-up) for the library tests,
// and signs up once so every test has a project with an ingest and a secret key.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, startDevServer } from "../../scripts/dev-server.ts";
import { applyMigrations } from "../../scripts/local-d1.ts";

declare module "vitest" {
  export interface ProvidedContext {
    otel: { base: string; ingestKey: string; secretKey: string };
  }
}

export default async function setup(project: TestProject) {
  // The Worker serves the dashboard from dist/ui; these tests need only the API, so an empty folder will do.
  mkdirSync("dist/ui", { recursive: true });
  const state = mkdtempSync(join(tmpdir(), "watchllm-otel-"));
  applyMigrations({ persistTo: state });
  const server = await startDevServer({
    port: await freePort(),
    persistTo: state,
    quiet: true,
    vars: { SIGNUP_MODE: "open" },
  });
  const signup = await fetch(`${server.base}/api/auth/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: server.base },
    body: JSON.stringify({ email: "otel@example.com", password: "correct horse battery", name: "OTel" }),
  });
  if (signup.status !== 201) throw new Error(`sign-up failed: ${signup.status} ${await signup.text()}`);
  const { keys } = (await signup.json()) as { keys: { ingest: string; secret: string } };
  project.provide("otel", { base: server.base, ingestKey: keys.ingest, secretKey: keys.secret });
  return async () => {
    await server.stop();
    rmSync(state, { recursive: true, force: true });
  };
}
