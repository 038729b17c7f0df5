// Browser tests: real Chromium (Debian's) against the real Worker under `wrangler dev` on a scratch local state.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "browser",
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["test/browser/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/browser/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // Conditions on a page wait up to 10 s (a real Worker and a real queue answer in their own time).
    expect: { poll: { timeout: 10_000, interval: 50 } },
  },
});
