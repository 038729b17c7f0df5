import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

export default defineConfig({
  root: "ui",
  plugins: [preact()],
  // No modulepreload polyfill (0.2 KB gz on every first load): a browser without modulepreload (Safari < 17) still
  // loads every chunk, only without preloading it.
  build: { outDir: "../dist/ui", emptyOutDir: true, target: "es2022", modulePreload: { polyfill: false } },
  server: { proxy: { "/api": "http://127.0.0.1:8787" } },
});
