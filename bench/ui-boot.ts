// `npm run bench:ui-boot [spans] [runs] [base build]`: where the trace page's first rows wait, from the navigation's
// start to their first painted frame, as `bench:ui` loads it ("as served": the tab already on the origin, the UI's
// files beside the Worker). Per load: the requests (asked, sent, first byte, done, bytes, the Worker's Server-Timing)
// and the main thread from Chromium's trace (HTML parse, each script's compile and run, style, layout, paint); then
// the medians of each step. With a base build (e.g. main's `ui/` built with `npx vite build --outDir ../dist/ui-base`)
// the two builds load alternately against the same Worker and trace. PROFILE=1 adds V8's hottest functions
// (PROFILE_OUT=/tmp/p also writes each load's profile, to open in DevTools; build with `--minify false` for names and
// lines); TRACE_OUT=/tmp/x writes each load's Chromium trace.
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { signUpOn, startScratchInstance } from "../scripts/dev-server.ts";
import { launch } from "../test/browser/browser.ts";
import { startAssetsFront, watchFirstRows } from "./assets-front.ts";
import { generateTrace, rng, storeTrace } from "./generate.ts";

const SPANS = Number(process.argv[2] ?? 1_000);
const RUNS = Number(process.argv[3] ?? 5);
/** A second build to compare with in the same run (e.g. main's, built with `--outDir ../dist/ui-base`), loads alternating. */
const BASE = process.argv[4];

type TraceEvent = {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tid: number;
  pid: number;
  cat: string;
  args?: { data?: Record<string, unknown>; fileName?: string; [k: string]: unknown };
};

/** The renderer main thread's work between navigation start and `until` (ms), by kind, and its longest steps. */
function mainThread(events: TraceEvent[], until: number) {
  const nav = events.find((e) => e.name === "navigationStart" && e.args?.data?.isLoadingMainFrame);
  const thread = events.find(
    (e) => e.name === "thread_name" && e.args?.name === "CrRendererMain" && e.pid === nav?.pid,
  );
  if (!nav || !thread) return null;
  const at = (e: TraceEvent) => (e.ts - nav.ts) / 1000;
  const own = events.filter((e) => e.tid === thread.tid && e.pid === thread.pid && e.ph === "X" && at(e) >= 0);
  const label = (e: TraceEvent) => {
    const url = String(e.args?.data?.url ?? e.args?.fileName ?? e.args?.data?.stackTrace ?? "");
    return url ? `${e.name} ${url.replace(/^https?:\/\/[^/]+/, "").slice(0, 40)}` : e.name;
  };
  const kinds = new Map<string, number>();
  const steps: string[] = [];
  const NAMES =
    /^(ParseHTML|EvaluateScript|v8\.compile|v8\.compileModule|v8\.evaluateModule|FunctionCall|RunMicrotasks|ParseAuthorStyleSheet|UpdateLayoutTree|Layout|Paint|PrePaint|Layerize|Commit|TimerFire|FireAnimationFrame|EventDispatch|v8\.parseOnBackground|HitTest|ScheduleStyleRecalculation)$/;
  for (const e of own) {
    if (!NAMES.test(e.name) || at(e) > until) continue;
    const ms = (e.dur ?? 0) / 1000;
    kinds.set(e.name, (kinds.get(e.name) ?? 0) + ms);
    if (ms >= 1) steps.push(`    ${at(e).toFixed(0).padStart(5)} ms +${ms.toFixed(1).padStart(5)} ${label(e)}`);
  }
  const busy = own
    .filter((e) => (e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask") && at(e) <= until)
    .reduce((n, e) => n + (e.dur ?? 0) / 1000, 0);
  return { kinds, steps, busy };
}

type CpuProfile = {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
};

/** The profile's functions by self time (PROFILE=1): where the page's own code spends the main thread. */
function hottest(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)!;
    const key = `${f.functionName || "(anonymous)"} ${f.url.replace(/^https?:\/\/[^/]+/, "")}:${f.lineNumber}:${f.columnNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25)
    .map(([k, ms]) => `    self ${ms.toFixed(1).padStart(6)} ms ${k}`);
}

/** Each request of the page so far, from navigation start, with its Server-Timing. */
function requests(page: Page) {
  return page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const entries = [nav, ...(performance.getEntriesByType("resource") as PerformanceResourceTiming[])];
    return entries.map((e) => ({
      name: e === nav ? "(the HTML)" : e.name.replace(location.origin, ""),
      asked: e.startTime,
      sent: e.requestStart,
      firstByte: e.responseStart,
      done: e.responseEnd,
      bytes: e.transferSize,
      server: e.serverTiming.map((t) => `${t.name}=${t.duration.toFixed(1)}`).join(" "),
    }));
  });
}

const server = await startScratchInstance("bench-ui-boot");
const browser = await launch();
try {
  const { project, keys, cookie: session } = await signUpOn(server.base, "Boot");
  const [cookieName, cookieValue] = session.split("=") as [string, string];
  const events = generateTrace(rng(3), SPANS, Date.now() - 60_000, SPANS);
  const traceId = events[0]!.trace_id;
  await storeTrace(server.base, keys, events, SPANS);
  type Front = Awaited<ReturnType<typeof startAssetsFront>>;
  const fronts: Array<[string, Front]> = [["this build", await startAssetsFront(join("dist", "ui"), server.base)]];
  if (BASE) fronts.push(["base", await startAssetsFront(BASE, server.base)]);
  const steps = new Map<string, Map<string, number[]>>();
  for (let run = 0; run < RUNS; run++)
    for (const [build, front] of run % 2 ? [...fronts].reverse() : fronts) {
      const note = (step: string, ms: number) => {
        const of = steps.get(step) ?? new Map<string, number[]>();
        steps.set(step, of.set(build, [...(of.get(build) ?? []), ms]));
      };
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addCookies([{ name: cookieName, value: cookieValue, url: front.base }]);
      await context.addInitScript(watchFirstRows);
      const page = await context.newPage();
      await page.goto(`${front.base}/api/health`);
      // PROFILE=1: V8's sampling profile too (it slows the page; the medians are then not the bench's).
      const cdp = process.env.PROFILE ? await context.newCDPSession(page) : undefined;
      await cdp?.send("Profiler.enable");
      await cdp?.send("Profiler.setSamplingInterval", { interval: 200 });
      await cdp?.send("Profiler.start");
      await browser.startTracing(page, {
        categories: [
          "devtools.timeline",
          "disabled-by-default-devtools.timeline",
          "v8.execute",
          "blink.user_timing",
          "loading",
          "toplevel",
        ],
      });
      await page.goto(`${front.base}/p/${project.id}/traces/${traceId}`, { waitUntil: "commit" });
      const painted = await page.evaluate(() => (window as { firstRows?: Promise<number> }).firstRows!);
      const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
      if (process.env.TRACE_OUT)
        writeFileSync(`${process.env.TRACE_OUT}-${run + 1}-${build.replace(" ", "-")}.json`, JSON.stringify(trace));
      if (cdp) {
        const { profile } = (await cdp.send("Profiler.stop")) as unknown as { profile: CpuProfile };
        if (process.env.PROFILE_OUT)
          writeFileSync(`${process.env.PROFILE_OUT}-${run + 1}.json`, JSON.stringify(profile));
        console.log(hottest(profile).join("\n"));
      }
      const reqs = await requests(page);
      const marks = await page.evaluate(() =>
        [...performance.getEntriesByType("mark"), ...performance.getEntriesByType("paint")].map((m) => ({
          name: m.name,
          at: m.startTime,
        })),
      );
      console.log(`\nrun ${run + 1}, ${build}: first rows painted at ${painted.toFixed(0)} ms`);
      const ms = (n: number) => n.toFixed(0).padStart(5);
      for (const r of reqs) {
        console.log(
          `  ${r.name.slice(0, 58).padEnd(58)} asked ${ms(r.asked)} sent ${ms(r.sent)} 1st byte ${ms(r.firstByte)} done ${ms(r.done)} ${String(r.bytes).padStart(7)} B ${r.server}`,
        );
        const kind = r.name.startsWith("/api/auth/session")
          ? "session"
          : r.name.includes("head=")
            ? "trace head"
            : r.name.includes("format=columns")
              ? "whole tree"
              : r.name.includes("score-configs")
                ? "score configs"
                : r.name.startsWith("/api/orgs/")
                  ? "org usage (quota banner)"
                  : r.name.endsWith(".js")
                    ? `js ${r.name.replace(/-[\w-]{8}\.js$/, "")}`
                    : r.name.endsWith(".css")
                      ? "css"
                      : r.name;
        note(`${kind}: first byte`, r.firstByte);
        note(`${kind}: done`, r.done);
        note(`${kind}: waiting (sent → first byte)`, r.firstByte - r.sent);
      }
      for (const m of marks) {
        console.log(`  mark ${m.name.padEnd(24)} ${ms(m.at)}`);
        note(`mark ${m.name}`, m.at);
      }
      note("first rows painted", painted);
      const main = mainThread(trace.traceEvents, painted);
      if (main) {
        console.log(`  main thread busy until the rows' frame: ${main.busy.toFixed(0)} ms; by kind:`);
        console.log(
          `    ${[...main.kinds]
            .filter(([, v]) => v >= 0.5)
            .sort((a, b) => b[1] - a[1])
            .map(([k, v]) => `${k} ${v.toFixed(1)}`)
            .join(", ")}`,
        );
        console.log(main.steps.join("\n"));
        note("main thread busy", main.busy);
        for (const [k, v] of main.kinds) note(`main: ${k}`, v);
      }
      await context.close();
    }
  for (const [, front] of fronts) await front.stop();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    `\n${SPANS.toLocaleString("en-US")} spans, ${RUNS} runs, medians (ms from navigation start); load average ${loadavg()[0]!.toFixed(1)}`,
  );
  const builds = fronts.map(([build]) => build);
  console.log(`| step | ${builds.join(" | ")} |\n|---|${builds.map(() => "---|").join("")}`);
  const mid = (of: Map<string, number[]>, build: string) => {
    const xs = of.get(build) ?? [];
    return xs.length === RUNS ? median(xs) : undefined;
  };
  for (const [step, of] of [...steps].sort((a, b) => (mid(a[1], builds[0]!) ?? 1e9) - (mid(b[1], builds[0]!) ?? 1e9)))
    console.log(`| ${step} | ${builds.map((b) => mid(of, b)?.toFixed(1) ?? "–").join(" | ")} |`);
} finally {
  await browser.close();
  await server.stop();
}
