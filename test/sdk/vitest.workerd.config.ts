// The same SDK suite inside workerd (the Cloudflare Workers runtime).

import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [cloudflareTest({ miniflare: { compatibilityDate: "2026-11-01", compatibilityFlags: ["nodejs_compat"] } })],
  test: {
    name: "sdk-workerd",
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["test/sdk/**/*.test.ts"],
    exclude: ["test/sdk/runtimes/**", "test/sdk/pack.test.ts", "test/sdk/built.test.ts"], // spawn Deno and Bun, npm and Python, build the package: Node only
    globalSetup: ["test/sdk/global-setup.ts"],
    testTimeout: 60_000,
  },
});
