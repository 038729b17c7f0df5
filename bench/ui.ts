// `npm run bench:ui [runs]`: a 1,000- and a 10,000-span trace in Chromium against a scratch `wrangler dev`: time until
// their first rows show, and until a scroll to the end shows the last row; plus the dashboard's JS per page (gzip).
// `npm run bench:ui weight`: only the JS per page (a 100-span trace stands in for the big one: the code is the same).
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { signUpOn, startScratchInstance } from "../scripts/dev-server.ts";
import { launch } from "../test/browser/browser.ts";
import { FIRST_LOAD_BUDGET, firstLoadJs, gzipped } from "../test/browser/weight.ts";
import { startAssetsFront, watchFirstRows } from "./assets-front.ts";
import { generateTrace, rng, storeTrace } from "./generate.ts";

/** The page's requests so far (VERBOSE=1): when each was asked for, sent, first answered and done, from navigation. */
function waterfall(page: Page) {
  return page.evaluate(() => {
    const ms = (n: number) => n.toFixed(0).padStart(5);
    return (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
      .map(
        (e) =>
          `  ${e.name.replace(location.origin, "").slice(0, 52).padEnd(52)} asked ${ms(e.startTime)} sent ${ms(e.requestStart)} first byte ${ms(e.responseStart)} done ${ms(e.responseEnd)}`,
      )
      .join("\n");
  });
}

const WEIGHT_ONLY = process.argv[2] === "weight";
const RUNS = WEIGHT_ONLY ? 0 : Number(process.argv[2] ?? 5);
const server = await startScratchInstance("bench-ui");
const browser = await launch();
try {
  const { project, keys, cookie: session } = await signUpOn(server.base, "Bench");
  const cookie = session.split("=");
  // A 1,000- and a 10,000-span trace (agent runs with 999 and 9,999 children), sent through ingest like any client's.
  const traceIds = new Map<number, string>();
  let eventId = "";
  for (const spans of WEIGHT_ONLY ? [100] : [1_000, 10_000]) {
    const events = generateTrace(rng(3), spans, Date.now() - 60_000, spans);
    traceIds.set(spans, events[0]!.trace_id);
    eventId = events[1]!.event_id;
    await storeTrace(server.base, keys, events, spans);
  }
  const traceId = traceIds.get(WEIGHT_ONLY ? 100 : 10_000)!;

  // The dashboard's files as production serves them (beside the Worker, not queued behind its reads): see
  // bench/assets-front.ts. The API still goes to the Worker under `wrangler dev`.
  const front = await startAssetsFront(join("dist", "ui"), server.base);
  // Each load measured in the page, from the navigation's start to the first frame painted after the first rows are in
  // the document (a message posted in that frame's animation callback arrives after its paint), and by this script
  // (Playwright's goto and one evaluate included). Two ways per run, interleaved:
  // - "as before": a fresh tab's first navigation, every file from `wrangler dev` (how earlier runs loaded the page);
  // - "as served": the tab already on the origin (as a browser's spare renderer or an open dashboard tab is: a fresh
  //   headless context starts its renderer inside the measured navigation, 60–400 ms here), files from the front.
  type Way = "before" | "served";
  const firstRows = new Map<string, number[]>();
  const firstRowsInPage = new Map<string, number[]>();
  const scrolls = new Map<number, number[]>();
  const scrollsInPage = new Map<number, number[]>();
  const wholeTree = new Map<number, number[]>();
  const push = <K>(to: Map<K, number[]>, key: K, ms: number) => to.set(key, [...(to.get(key) ?? []), ms]);
  // The traces take turns run by run (not every run of one, then the other's), so neither pays alone for the Worker's
  // and the browser's warm-up.
  for (let run = 0; run < RUNS; run++)
    for (const [spans, id] of traceIds)
      for (const way of ["before", "served"] as Way[]) {
        const site = way === "served" ? front.base : server.base;
        const key = `${spans} ${way}`;
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        await context.addCookies([{ name: cookie[0]!, value: cookie[1]!, url: site }]);
        // Awaited with one evaluate, not Playwright's polling: its injected script (tens of ms of the page's main thread
        // on a loaded machine) would run inside the window it measures.
        await context.addInitScript(watchFirstRows);
        const page = await context.newPage();
        if (way === "served") await page.goto(`${site}/api/health`);
        let start = performance.now();
        await page.goto(`${site}/p/${project.id}/traces/${id}`, { waitUntil: "commit" });
        const inPage = await page.evaluate(() => (window as { firstRows?: Promise<number> }).firstRows!);
        push(firstRows, key, performance.now() - start);
        push(firstRowsInPage, key, inPage);
        if (process.env.VERBOSE)
          console.log(`${spans.toLocaleString("en-US")} spans, run ${run + 1}, ${way}:\n${await waterfall(page)}`);
        // The scroll is timed on the whole tree: a big trace's first screen comes before the rest of its rows.
        await page.locator("[data-testid=tree]:not([aria-busy=true])").waitFor();
        if (way === "before") {
          await context.close();
          continue;
        }
        push(
          wholeTree,
          spans,
          // The whole tree's answer in (a trace of more rows than its first screen reads it after that screen).
          await page.evaluate(() =>
            Math.max(
              ...(performance.getEntriesByType("resource") as PerformanceResourceTiming[])
                .filter((e) => e.name.includes("format=columns"))
                .map((e) => e.responseEnd),
            ),
          ),
        );
        start = performance.now();
        // The scroll as before (set, then Playwright polls for the last row); the page notes the frame it first shows.
        await page.getByTestId("tree").evaluate((tree) => {
          const start = performance.now();
          tree.scrollTop = tree.scrollHeight;
          const check = () => {
            const rows = tree.querySelectorAll("[data-event]");
            const shown =
              rows.length > 0 &&
              tree.scrollTop + tree.clientHeight >= tree.scrollHeight - 1 &&
              rows[rows.length - 1]!.getBoundingClientRect().bottom <= tree.getBoundingClientRect().bottom + 1;
            if (shown) performance.measure("scrolled", { start, end: performance.now() });
            else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        });
        await page.waitForFunction(() => {
          const rows = document.querySelectorAll("[data-event]");
          const tree = document.querySelector("[data-testid=tree]")!;
          return (
            rows.length > 0 &&
            tree.scrollTop + tree.clientHeight >= tree.scrollHeight - 1 &&
            rows[rows.length - 1]!.getBoundingClientRect().bottom <= tree.getBoundingClientRect().bottom + 1
          );
        });
        push(scrolls, spans, performance.now() - start);
        await page.waitForFunction(() => performance.getEntriesByName("scrolled").length);
        push(scrollsInPage, spans, await page.evaluate(() => performance.getEntriesByName("scrolled")[0]!.duration));
        await context.close();
      }
  await front.stop();
  // What `wrangler dev` takes to answer one small asset (the stylesheet, 5 KB gz), one request at a time from the page:
  // a cost per request that Workers Assets in production does not have in this form (served at the edge, HTTP/2).
  const assetMs: number[] = [];
  if (!WEIGHT_ONLY) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.base}/login`);
    for (let run = 0; run < 15; run++)
      assetMs.push(
        await page.evaluate(async () => {
          const css = document.querySelector<HTMLLinkElement>("link[rel=stylesheet]")!.href;
          const start = performance.now();
          await (await fetch(css, { cache: "no-store" })).text();
          return performance.now() - start;
        }),
      );
    await context.close();
  }
  // The same-run baseline: the 10,000-span tree fetched and parsed in the page, as one object per event (what the
  // page read before) and as columns (what it reads now); `no-cache` so each is a fresh read.
  const fetchParse = new Map<string, number[]>();
  if (!WEIGHT_ONLY) {
    const context = await browser.newContext();
    await context.addCookies([{ name: cookie[0]!, value: cookie[1]!, url: server.base }]);
    const page = await context.newPage();
    await page.goto(`${server.base}/login`);
    for (let run = 0; run < RUNS; run++)
      for (const format of ["", "&format=columns"]) {
        const ms = await page.evaluate(async (url) => {
          const start = performance.now();
          await (await fetch(url, { headers: { "Cache-Control": "no-cache" } })).json();
          return performance.now() - start;
        }, `${server.base}/api/v1/traces/${traceId}?project_id=${project.id}${format}`);
        fetchParse.set(format, [...(fetchParse.get(format) ?? []), ms]);
      }
    await context.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const assets = join("dist", "ui", "assets");
  const gz = (file: string) => gzipped(join(assets, file));
  // The JS each page's first load fetches (a fresh browser context per page, so nothing is cached).
  // A share link to the trace: the public page, opened signed out.
  const share = await fetch(`${server.base}/api/projects/${project.id}/shares`, {
    method: "POST",
    headers: { Cookie: session, Origin: server.base, "Content-Type": "application/json" },
    body: JSON.stringify({ trace_id: traceId }),
  });
  if (!share.ok) throw new Error(`share answered ${share.status}`);
  const sharePath = ((await share.json()) as { share: { path: string } }).share.path;
  const pages: Array<[string, string]> = [
    ["login", "/login"],
    ["overview", `/p/${project.id}/overview`],
    ["traces", `/p/${project.id}/traces`],
    [WEIGHT_ONLY ? "trace" : "trace (10,000 spans)", `/p/${project.id}/traces/${traceId}`],
    // A link to one event of a trace opens its inspector at once.
    ["trace with an event open (?event=)", `/p/${project.id}/traces/${traceId}?event=${eventId}`],
    ["sessions", `/p/${project.id}/sessions`],
    ["costs", `/p/${project.id}/costs`],
    ["alerts", `/p/${project.id}/alerts`],
    ["settings", `/p/${project.id}/settings`],
    ["settings › usage", `/p/${project.id}/settings/usage`],
    ["settings › data", `/p/${project.id}/settings/data`],
    ["a share link (signed out)", sharePath],
  ];
  const firstLoads: Array<[string, number]> = [];
  for (const [name, path] of pages) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    if (name !== "login" && path !== sharePath)
      await context.addCookies([{ name: cookie[0]!, value: cookie[1]!, url: server.base }]);
    const page = await context.newPage();
    await page.goto(`${server.base}${path}`);
    firstLoads.push([name, await firstLoadJs(page, assets)]);
    await context.close();
  }
  const chunks = readdirSync(assets).filter((f) => f.endsWith(".js"));
  // Every chunk once, plus index.html's inline scripts (every page but a share link's runs them).
  const inlineScripts = [
    ...readFileSync(join("dist", "ui", "index.html"), "utf8").matchAll(/<script>([\s\S]*?)<\/script>/g),
  ]
    .map((m) => m[1])
    .join("");
  const inlineGz = inlineScripts ? gzipSync(inlineScripts, { level: 9 }).length : 0;
  const js = chunks.reduce((n, f) => n + gz(f), 0) + inlineGz;
  const css = readdirSync(assets)
    .filter((f) => f.endsWith(".css"))
    .reduce((n, f) => n + gz(f), 0);
  console.log(
    WEIGHT_ONLY
      ? `\nThe dashboard's JS (gzip level 9); load average ${loadavg()[0]!.toFixed(1)}\n`
      : `\nThe trace page in Chromium (headless), ${RUNS} runs per trace, medians; load average ${loadavg()[0]!.toFixed(1)}\n`,
  );
  console.log("| measure | result | goal |\n|---|---|---|");
  if (!WEIGHT_ONLY) {
    const spread = (xs: number[]) =>
      `${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;
    for (const [spans, goal] of [
      [1_000, 150],
      [10_000, 300],
    ] as const) {
      const n = spans.toLocaleString("en-US");
      for (const way of ["served", "before"] as const) {
        const ys = firstRowsInPage.get(`${spans} ${way}`)!;
        const xs = firstRows.get(`${spans} ${way}`)!;
        const how =
          way === "served"
            ? "files beside the Worker, tab on the origin"
            : "as before: fresh tab, files from wrangler dev";
        const verdict = way === "served" ? `< ${goal} ms: ${median(ys) < goal ? "met" : "**not met**"}` : "";
        console.log(
          `| ${n} spans: first rows painted, in the page (navigation start →), ${how} | ${spread(ys)}; Playwright's goto → rows ${median(xs).toFixed(0)} ms | ${verdict} |`,
        );
      }
      console.log(
        `| ${n} spans: the whole tree's answer in (navigation start →, files beside the Worker) | ${median(wholeTree.get(spans)!).toFixed(0)} ms | |`,
      );
      const scroll = median(scrolls.get(spans)!);
      const scrollInPage = median(scrollsInPage.get(spans)!);
      console.log(
        `| ${n} spans: scroll to the end → last row rendered, in the page | ${scrollInPage.toFixed(0)} ms (Playwright's evaluate → its poll sees it: ${scroll.toFixed(0)} ms) | < 100 ms: ${scrollInPage < 100 ? "met" : "**not met**"} |`,
      );
    }
    console.log(
      `| wrangler dev: one small asset (5 KB gz), fetched from the page | ${median(assetMs).toFixed(1)} ms | |`,
    );
    for (const [format, what] of [
      ["", "one object per event (before)"],
      ["&format=columns", "columns (now)"],
    ] as const)
      console.log(
        `| 10,000 spans: tree fetched + parsed in the page, cache miss, ${what} | ${median(fetchParse.get(format)!).toFixed(0)} ms | |`,
      );
  }
  console.log(
    `| dashboard JS, gzip, all pages | ${(js / 1024).toFixed(1)} KB in ${chunks.length} chunks + index.html's inline script (${inlineGz} B) (CSS ${(css / 1024).toFixed(1)} KB) | < 40 KB: ${js < 40 * 1024 ? "met" : "**not met**"} |`,
  );
  for (const [name, bytes] of firstLoads)
    console.log(
      `| first load of ${name}: JS fetched, gzip | ${(bytes / 1024).toFixed(1)} KB | < 20 KB: ${bytes < FIRST_LOAD_BUDGET ? "met" : "**not met**"} |`,
    );
} finally {
  await browser.close();
  await server.stop();
}
