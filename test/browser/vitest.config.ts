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
    testTimeout: 180_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    // Conditions on a page wait up to 30 s (a real Worker and a real queue answer in their own time; on a loaded
    // machine, load 30, a page took over 10 s). Timeouts only bound a failure; a passing test never waits them out.
    expect: { poll: { timeout: 30_000, interval: 50 } },
  },
});
