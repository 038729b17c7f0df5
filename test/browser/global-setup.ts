// Starts one scratch WatchLLM instance (migrated local D1, open sign-up) for all browser tests.
import type { TestProject } from "vitest/node";
import { startScratchInstance } from "../../scripts/dev-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** The instance's local state (D1, R2), for tests that change storage behind its back. */
    stateDir: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startScratchInstance("ui");
  project.provide("baseUrl", server.base);
  project.provide("stateDir", server.state);
  return async () => void (await server.stop());
}
