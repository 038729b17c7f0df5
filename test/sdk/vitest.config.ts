// The SDK suite in Node.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "sdk-node",
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["test/sdk/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/sdk/global-setup.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
