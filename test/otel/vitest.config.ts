// The real instrumentation libraries (OTel exporters, Vercel ai, OpenInference + openai, Langfuse) in Node, exporting
// over OTLP/HTTP to the real Worker under `wrangler dev` (a free port), checked through the trace API.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "otel",
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["test/otel/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/otel/global-setup.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
