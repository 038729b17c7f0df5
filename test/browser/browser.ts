// Debian's Chromium driven by playwright-core (never a downloaded browser).
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_FLAGS });
}

/**
 * A page in a new Chromium running `source` (TSX importing the repo's files from its root, e.g. "./ui/lib/hooks.ts")
 * bundled with real Preact, into `<div id="root">`, once `ready` is on the page.
 */
export async function bundlePage(source: string, ready: string) {
  const bundle = await build({
    stdin: { contents: source, loader: "tsx", resolveDir: fileURLToPath(new URL("../..", import.meta.url)) },
    bundle: true,
    write: false,
    format: "esm",
    jsx: "automatic",
    jsxImportSource: "preact",
  });
  const browser = await launch();
  const page = await browser.newPage();
  await page.setContent(`<div id="root"></div>`);
  await page.addScriptTag({ type: "module", content: bundle.outputFiles[0]!.text });
  await page.locator(ready).waitFor();
  return { browser, page };
}
