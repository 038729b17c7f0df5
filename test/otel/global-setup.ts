// Starts one scratch WatchLLM instance under `wrangler dev` (migrated local D1, open sign-up) for the library tests,
// and signs up once so every test has a project with an ingest and a secret key.
import type { TestProject } from "vitest/node";
import { signUpOn, startScratchInstance } from "../../scripts/dev-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    otel: { base: string; ingestKey: string; secretKey: string };
  }
}

export default async function setup(project: TestProject) {
  const server = await startScratchInstance("otel", { immediateBatches: true });
  const { keys } = await signUpOn(server.base, "OTel");
  project.provide("otel", { base: server.base, ingestKey: keys.ingest, secretKey: keys.secret });
  return async () => void (await server.stop());
}
