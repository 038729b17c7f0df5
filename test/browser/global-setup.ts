// Starts one scratch WatchLLM instance (migrated local D1, open sign-up) for all browser tests.
import type { TestProject } from "vitest/node";
import { startScratchInstance } from "../../scripts/dev-server.ts";

export const BROWSER_PLANS = { "ui-small": { events_per_month: 10, retention_days: 30, members: 5, gateway: true } };

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** The instance's local state (D1, R2), for tests that change storage behind its back. */
    stateDir: string;
  }
}

export default async function setup(project: TestProject) {
  // One small plan for the usage tests (test/browser/usage.test.ts); orgs are on no plan (unlimited) unless put on it.
  const server = await startScratchInstance("ui", {
    vars: { PLANS: JSON.stringify(BROWSER_PLANS) },
    immediateBatches: true,
  });
  project.provide("baseUrl", server.base);
  project.provide("stateDir", server.state);
  return async () => void (await server.stop());
}
