// `npm run bench:ui`: a 10,000-span trace in Chromium against a scratch `wrangler dev`: time until its first rows
// show, and until a scroll to the end shows the last row; plus the dashboard's JS bundle size (gzip).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { signUpOn, startScratchInstance } from "../scripts/dev-server.ts";
import { launch } from "../test/browser/browser.ts";
import { generateTrace, rng } from "./generate.ts";

const RUNS = 5;
const server = await startScratchInstance("bench-ui");
const browser = await launch();
try {
  const { project, keys, cookie: session } = await signUpOn(server.base, "Bench");
  const cookie = session.split("=");
  // A 10,000-span trace (an agent run with 9,999 children), sent through ingest like any client's.
  const events = generateTrace(rng(3), 1, Date.now() - 60_000, 10_000);
  const traceId = events[0]!.trace_id;
  for (let i = 0; i < events.length; i += 1000) {
    const sent = await fetch(`${server.base}/api/v1/events`, {
      method: "POST",
      headers: { Authorization: `Bearer ${keys.ingest}`, "Content-Type": "application/json" },
      body: JSON.stringify({ events: events.slice(i, i + 1000) }),
    });
    if (sent.status !== 202) throw new Error(`ingest answered ${sent.status}`);
  }
  for (let i = 0; i < 600; i++) {
    const r = await fetch(`${server.base}/api/v1/traces/${traceId}`, {
      headers: { Authorization: `Bearer ${keys.secret}` },
    });
    if (r.ok && ((await r.json()) as { trace: { span_count: number } }).trace.span_count === 10_000) break;
    await new Promise((r) => setTimeout(r, 200));
  }

  const firstRows: number[] = [];
  const scrolls: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: cookie[0]!, value: cookie[1]!, url: server.base }]);
    const page = await context.newPage();
    let start = performance.now();
    await page.goto(`${server.base}/p/${project.id}/traces/${traceId}`);
    await page.locator("[data-event]").first().waitFor();
    firstRows.push(performance.now() - start);
    if (process.env.VERBOSE)
      console.log(
        await page.evaluate(() =>
          performance
            .getEntriesByType("resource")
            .map((e) => `${e.name.slice(-60)} start ${e.startTime.toFixed(0)} dur ${e.duration.toFixed(0)}`)
            .join("\n"),
        ),
      );
    start = performance.now();
    await page.getByTestId("tree").evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForFunction(() => {
      const rows = document.querySelectorAll("[data-event]");
      const tree = document.querySelector("[data-testid=tree]")!;
      return (
        rows.length > 0 &&
        tree.scrollTop + tree.clientHeight >= tree.scrollHeight - 1 &&
        rows[rows.length - 1]!.getBoundingClientRect().bottom <= tree.getBoundingClientRect().bottom + 1
      );
    });
    scrolls.push(performance.now() - start);
    await context.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const assets = join("dist", "ui", "assets");
  const gz = (file: string) => gzipSync(readFileSync(join(assets, file)), { level: 9 }).length;
  // The JS each page's first load fetches (a fresh browser context per page, so nothing is cached).
  const pages: Array<[string, string]> = [
    ["login", "/login"],
    ["overview", `/p/${project.id}/overview`],
    ["traces", `/p/${project.id}/traces`],
    ["trace (10,000 spans)", `/p/${project.id}/traces/${traceId}`],
    ["sessions", `/p/${project.id}/sessions`],
    ["costs", `/p/${project.id}/costs`],
    ["alerts", `/p/${project.id}/alerts`],
    ["settings", `/p/${project.id}/settings`],
  ];
  const firstLoads: Array<[string, number]> = [];
  for (const [name, path] of pages) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    if (name !== "login") await context.addCookies([{ name: cookie[0]!, value: cookie[1]!, url: server.base }]);
    const page = await context.newPage();
    await page.goto(`${server.base}${path}`, { waitUntil: "networkidle" });
    const scripts = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .map((e) => e.name)
        .filter((n) => n.endsWith(".js")),
    );
    firstLoads.push([name, scripts.reduce((n, url) => n + gz(url.slice(url.lastIndexOf("/") + 1)), 0)]);
    await context.close();
  }
  const js = readdirSync(assets)
    .filter((f) => f.endsWith(".js"))
    .reduce((n, f) => n + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0);
  const css = readdirSync(assets)
    .filter((f) => f.endsWith(".css"))
    .reduce((n, f) => n + gzipSync(readFileSync(join(assets, f)), { level: 9 }).length, 0);
  console.log(`\n10,000-span trace, ${RUNS} runs in Chromium (headless), medians\n`);
  console.log("| measure | result |\n|---|---|");
  console.log(
    `| first rows visible (navigation → rows, incl. the API call) | ${median(firstRows).toFixed(0)} ms (min ${Math.min(...firstRows).toFixed(0)}, max ${Math.max(...firstRows).toFixed(0)}) |`,
  );
  console.log(`| scroll to the end → last row rendered | ${median(scrolls).toFixed(0)} ms |`);
  console.log(`| dashboard JS, gzip, all pages | ${(js / 1024).toFixed(1)} KB (CSS ${(css / 1024).toFixed(1)} KB) |`);
  for (const [name, bytes] of firstLoads)
    console.log(`| first load of ${name}: JS fetched, gzip | ${(bytes / 1024).toFixed(1)} KB |`);
} finally {
  await browser.close();
  await server.stop();
}
