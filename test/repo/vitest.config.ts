// Checks of the repository itself (no runtime): migrations are append-only, imports follow the layers, generated
// files are fresh. Fast, in Node.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "repo",
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["test/repo/**/*.test.ts"],
    environment: "node",
  },
});
