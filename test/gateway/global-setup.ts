// One fake provider upstream and one scratch WatchLLM (`wrangler dev`, real workerd, local D1 + Queue + Cache) whose
// gateway routes point at it, for every gateway test.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startScratchInstance } from "../../scripts/dev-server.ts";
import { startFakeUpstream } from "../support/fake-upstream.ts";

declare module "vitest" {
  export interface ProvidedContext {
    gatewayBase: string;
    upstreamUrl: string;
    stateDir: string;
  }
}

const newestUnder = (dir: string): number =>
  Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newestUnder(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
    ),
  );

export default async function setup(project: TestProject) {
  // wrangler.toml serves the dashboard from dist/ui: it must exist for `wrangler dev` to start, and be current for the
  // Costs page test.
  if (!existsSync("dist/ui/index.html") || newestUnder("ui") > statSync("dist/ui/index.html").mtimeMs) {
    execFileSync("vite", ["build", "--logLevel", "warn"], { stdio: "inherit" });
  }
  const upstream = await startFakeUpstream();
  const server = await startScratchInstance("gateway", {
    quiet: !process.env.VERBOSE,
    immediateBatches: true,
    vars: {
      OPENAI_UPSTREAM_URL: `${upstream.url}/v1`,
      ANTHROPIC_UPSTREAM_URL: `${upstream.url}/v1`,
      // The generic route may reach the local fake only because it is named here, as an exact origin; port 1 on
      // 127.0.0.1 is allowed too, and nothing listens there (the unreachable upstream).
      GATEWAY_ALLOWED_HOSTS: `${upstream.url}, http://127.0.0.1:1, api.groq.com, *.example-llm.com`,
    },
  });
  project.provide("gatewayBase", server.base);
  project.provide("upstreamUrl", upstream.url);
  project.provide("stateDir", server.state);
  return async () => {
    await server.stop();
    await upstream.close();
  };
}
