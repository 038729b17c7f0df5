import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

export default defineConfig({
  root: "ui",
  plugins: [preact()],
  build: { outDir: "../dist/ui", emptyOutDir: true, target: "es2022" },
  server: { proxy: { "/api": "http://127.0.0.1:8787" } },
});
