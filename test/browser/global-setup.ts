// Starts one scratch WatchLLM instance (migrated local D1, open sign-up) for all browser tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, startDevServer } from "../../scripts/dev-server.ts";
import { applyMigrations } from "../../scripts/local-d1.ts";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** The instance's local state (D1, R2), for tests that change storage behind its back. */
    stateDir: string;
  }
}

export default async function setup(project: TestProject) {
  const state = mkdtempSync(join(tmpdir(), "watchllm-ui-"));
  applyMigrations({ persistTo: state });
  const server = await startDevServer({
    port: await freePort(),
    persistTo: state,
    quiet: true,
    vars: { SIGNUP_MODE: "open" },
  });
  project.provide("baseUrl", server.base);
  project.provide("stateDir", state);
  return async () => {
    await server.stop();
    rmSync(state, { recursive: true, force: true });
  };
}
