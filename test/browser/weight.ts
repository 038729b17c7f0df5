// The JS a page's first load downloads, gzipped as it would travel: shared by the page-weight test and `bench:ui`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";

/** 20 KB: what any page's first load may download (issue 29). */
export const FIRST_LOAD_BUDGET = 20 * 1024;

/** A built dashboard file's size gzipped (level 9, as the benchmarks count it). */
export const gzipped = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

/**
 * Every JS byte `page` has downloaded, gzipped: each script file fetched (once per fetch), read from `assets` (the
 * build's folder), and the HTML's inline scripts (gzipped alone: more than their share of the page's gzipped HTML).
 * Waits first until the page's code has loaded: no placeholder of a loading page left, and the network idle.
 */
export async function firstLoadJs(page: Page, assets: string) {
  await page.waitForLoadState("networkidle");
  // On a loaded machine the network can idle while a lazy page's chunk is still being asked for: wait until no
  // placeholder of a loading page is left, then for the network again.
  await page.waitForFunction(() => !document.querySelector(".boot"));
  await page.waitForLoadState("networkidle");
  const { scripts, inline } = await page.evaluate(() => ({
    scripts: performance
      .getEntriesByType("resource")
      .map((e) => new URL(e.name).pathname)
      .filter((path) => path.endsWith(".js")),
    inline: [...document.querySelectorAll("script:not([src])")].map((s) => s.textContent ?? "").join(""),
  }));
  const files = scripts.reduce((n, path) => n + gzipped(join(assets, path.split("/").pop()!)), 0);
  return files + (inline ? gzipSync(inline, { level: 9 }).length : 0);
}
