// Browser tests: real Chromium (Debian's) against the real Worker under `wrangler dev` on a scratch local state.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "ui",
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["test/ui/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/ui/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
