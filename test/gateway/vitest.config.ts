// Gateway tests: the real `openai` and `@anthropic-ai/sdk` clients in Node, through the real Worker under
// `wrangler dev`, to a fake provider upstream on 127.0.0.1.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "gateway",
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["test/gateway/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/gateway/global-setup.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
