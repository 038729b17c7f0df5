import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";
import { cspHash, servedScript } from "./scripts/inline-script.ts";

// Vite wraps every `import()` in its preload helper (0.6 KB gz on every first load: CSP nonces, error events, waiting
// for CSS), passing the files the imported chunk needs. Here that list is always empty: the CSS is one file that
// index.html links (cssCodeSplit below), the entry is on every page, the chunk itself is what the import fetches, and
// no lazy chunk imports a chunk the page has not loaded yet (resolveDependencies below leaves only such chunks). So
// the helper only loads (0.12 KB gz less on every page than one that preloads), and the build fails if a chunk layout
// ever gives an import something to preload, rather than load it one file after the other unnoticed.
const preloadHelper: Plugin = {
  name: "watchllm:preload-helper",
  enforce: "pre",
  load(id) {
    if (id === "\0vite/preload-helper.js") return "export const __vitePreload = (load) => load();";
  },
  generateBundle: {
    order: "post",
    handler(_options, bundle) {
      for (const chunk of Object.values(bundle))
        if (chunk.type === "chunk" && chunk.code.includes("__vite__mapDeps"))
          throw new Error(
            `${chunk.fileName} imports a chunk that needs others preloaded: restore a preloading helper (vite.config.ts)`,
          );
    },
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

// index.html's inline script minified (scripts/inline-script.ts: 494 → 426 B gz on every page's first load), and the
// build fails unless the CSP in ui/public/_headers allows the minified form by its hash: a script the CSP doesn't name
// would not run, and the deep link's early reads would be lost without an error.
const inlineScript: Plugin = {
  name: "watchllm:inline-script",
  transformIndexHtml: {
    order: "post",
    handler(html) {
      const headers = readFileSync(new URL("ui/public/_headers", import.meta.url), "utf8");
      return html.replace(/<script>([\s\S]*?)<\/script>/g, (_all, source: string) => {
        const script = servedScript(source);
        if (!headers.includes(cspHash(script)))
          throw new Error(`ui/public/_headers' CSP doesn't allow index.html's inline script: add ${cspHash(script)}`);
        return `<script>${script}</script>`;
      });
    },
  },
};

export default defineConfig({
  root: "ui",
  plugins: [preact(), classicJsx, preloadHelper, tracePagePreload, inlineScript],
  // The few signal features the dashboard uses, in 0.5 KB instead of @preact/signals' 3.7 KB gz (ui/lib/signals.ts);
  // the five hooks it uses, in 0.5 KB instead of preact/hooks' 1.1 KB (ui/lib/hooks.ts).
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
    // One CSS file for every page, linked by index.html (5.3 KB gz): no lazy chunk waits for a stylesheet.
    cssCodeSplit: false,
    modulePreload: {
      polyfill: false,
      // What a lazy chunk's import would preload: only chunks it needs that may not be here yet, not itself (the import
      // fetches it), not the entry (every page has it). None today (see preloadHelper).
      resolveDependencies: (file, deps, { hostType }) =>
        hostType === "html" ? deps : deps.filter((d) => d !== file && !/(^|\/)app-[\w-]+\.js$/.test(d)),
    },
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
              test: /node_modules|ui[\\/](main|App)\.tsx|ui[\\/]lib[\\/](format|ticks|use-width|types)\.ts|ui[\\/]components[\\/](Table|Copy|DeleteData)\.tsx|contract[\\/]limits/,
            },
            { name: "shared", minShareCount: 3 },
          ],
        },
      },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:8787" } },
});
