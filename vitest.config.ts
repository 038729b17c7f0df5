// `npm test` runs every project: the Worker inside workerd, the SDK in Node and workerd, the dashboard in Chromium,
// the gateway with the real provider clients against `wrangler dev`.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // One test file per core (Vitest's default leaves one core idle: a single worker on a 2-core machine). Most files
    // wait on wrangler dev, a queue or Chromium rather than compute, so two at once halve the wall time there.
    maxWorkers: "100%",
    projects: [
      "test/worker/vitest.config.ts",
      "test/worker/vitest.isolated.config.ts",
      "test/sdk/vitest.config.ts",
      "test/sdk/vitest.workerd.config.ts",
      "test/browser/vitest.config.ts",
      "test/repo/vitest.config.ts",
      "test/otel/vitest.config.ts",
      "test/gateway/vitest.config.ts",
    ],
  },
});
