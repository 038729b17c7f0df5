import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";

// Vite wraps every `import()` in its preload helper (0.6 KB gz on every first load: CSP nonces, error events, waiting
// for CSS). The dashboard's CSS is one file that index.html links already, so a lazy page needs only its JS imports
// preloaded beside it: this helper does that and nothing else. Without modulepreload (Safari < 17) the imports still
// load, one after the other.
const preloadHelper: Plugin = {
  name: "watchllm:preload-helper",
  enforce: "pre",
  load(id) {
    if (id !== "\0vite/preload-helper.js") return;
    return `const seen = new Set();
export const __vitePreload = (load, deps) => {
  for (const dep of deps ?? []) {
    const href = "/" + dep;
    if (seen.has(href) || document.querySelector(\`link[href="\${href}"]\`)) continue;
    seen.add(href);
    const link = document.createElement("link");
    link.rel = dep.endsWith(".css") ? "stylesheet" : "modulepreload";
    link.href = href;
    document.head.append(link);
  }
  return load();
};`;
  },
};

export default defineConfig({
  root: "ui",
  plugins: [preact(), preloadHelper],
  build: {
    outDir: "../dist/ui",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: "app", tags: ["$initial"] },
            { name: "app", minShareCount: 3 },
          ],
        },
      },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:8787" } },
});
