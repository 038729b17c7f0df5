import { fileURLToPath } from "node:url";
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

// Classic JSX, `h(type, props, ...children)`, instead of the automatic runtime's `jsx(type, { ...props, children })`:
// shorter calls and no jsx-runtime module in the entry (0.7 KB gz less over all pages). Set after the Preact preset,
// which asks for the automatic runtime. The injected names are ones no source file uses: a local `h` (a bar's height)
// would otherwise shadow the pragma in its scope.
const classicJsx: Plugin = {
  name: "watchllm:classic-jsx",
  config: () => ({
    oxc: {
      jsx: { runtime: "classic", pragma: "__jsx", pragmaFrag: "__Fragment" },
      jsxInject: `import { h as __jsx, Fragment as __Fragment } from "preact"`,
    },
  }),
};

// The trace page's code (its chunks, not the entry's), named in a meta tag first in <head>: index.html's inline
// script preloads it on a deep link to a trace while the entry still loads, instead of after the entry has run. A tag
// rather than text in the script, so the script (allowed by its hash in ui/public/_headers) is the same every build.
const tracePagePreload: Plugin = {
  name: "watchllm:trace-page-preload",
  transformIndexHtml: {
    order: "post",
    handler(_html, { bundle }) {
      if (!bundle) return;
      const chunks = Object.values(bundle).filter((c) => c.type === "chunk");
      // The chunk holding the page: its own, or the group chunk it shares with related pages (codeSplitting below).
      const page = chunks.find((c) => c.moduleIds.some((id) => id.endsWith("/ui/pages/Trace.tsx")));
      if (!page) throw new Error("no chunk for ui/pages/Trace.tsx");
      const entry = new Set(chunks.filter((c) => c.isEntry).flatMap((c) => [c.fileName, ...c.imports]));
      const files = new Set<string>();
      const add = (file: string) => {
        if (files.has(file) || entry.has(file)) return;
        files.add(file);
        for (const dep of (bundle[file] as { imports?: string[] }).imports ?? []) add(dep);
      };
      add(page.fileName);
      const content = [...files].map((f) => `/${f}`).join(" ");
      return [{ tag: "meta", attrs: { name: "watchllm-trace-page", content }, injectTo: "head-prepend" }];
    },
  },
};

export default defineConfig({
  root: "ui",
  plugins: [preact(), classicJsx, preloadHelper, tracePagePreload],
  // The few signal features the dashboard uses, in 0.5 KB instead of @preact/signals' 3.7 KB gz (ui/lib/signals.ts);
  // the five hooks it uses, in 0.4 KB instead of preact/hooks' 1.1 KB (ui/lib/hooks.ts).
  resolve: {
    alias: [
      { find: /^@preact\/signals$/, replacement: fileURLToPath(new URL("ui/lib/signals.ts", import.meta.url)) },
      { find: /^preact\/hooks$/, replacement: fileURLToPath(new URL("ui/lib/hooks.ts", import.meta.url)) },
    ],
  },
  build: {
    outDir: "../dist/ui",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Each chunk is gzipped alone, so every chunk pays again for what gzip would have shared (about 0.3–0.8 KB):
          // the pages travel in a few chunks of related pages rather than one per module, each kept small enough that
          // the entry + the page's chunks stay under 20 KB gz (`npm run bench:ui weight`). Which pages share a chunk
          // is said by ui/pages/chunks/*.ts, one module per lazily imported chunk: a chunk reached through one module
          // exports its pages as they are, where a group here would wrap each lazily imported page in a namespace
          // object and add a runtime chunk (0.65 KB gz over all pages). The entry (framework, shell, session) also
          // holds the small modules most pages use (formatting, the table, value ticks): one chunk instead of three.
          // Modules three chunks use that it doesn't name go to "shared". The inspector and the onboarding stay alone
          // (a trace link with ?event= and an empty project's overview load each beside a page).
          groups: [
            {
              name: "app",
              test: /node_modules|ui[\\/](main|App)\.tsx|ui[\\/]lib[\\/](format|ticks|use-width|types|recompute)\.ts|ui[\\/]components[\\/](Table|Copy|DeleteData)\.tsx|contract[\\/](limits|constants)/,
            },
            { name: "shared", minShareCount: 3 },
          ],
        },
      },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:8787" } },
});
