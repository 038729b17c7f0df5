// The dashboard's own hooks (ui/lib/hooks.ts, what `preact/hooks` resolves to in its build): state re-renders, memos
// follow their deps, layout effects see the committed DOM, effects run after paint with their cleanups, unmounting
// cleans up, and an effect that throws reaches the error boundary. Real Preact in Chromium.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundlePage } from "./browser.ts";

const APP = `
import { Component, render } from "preact";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "./ui/lib/hooks.ts";
const log = [];
let memos = 0;
function Child({ n, fail }) {
  const box = useRef(null);
  const [clicks, setClicks] = useState(() => 0);
  const double = useMemo(() => { memos++; return n * 2; }, [n]);
  useLayoutEffect(() => {
    log.push("layout " + n + " " + box.current.isConnected + " " + box.current.textContent);
    return () => log.push("layout cleanup " + n);
  }, [n]);
  useEffect(() => {
    if (fail) throw new Error("effect failed");
    log.push("effect " + n);
    return () => log.push("effect cleanup " + n);
  }, [n]);
  return <p id="child" ref={box} onClick={() => setClicks((c) => c + 1)}>{n} {double} {clicks}</p>;
}
class Boundary extends Component {
  state = { error: null };
  static getDerivedStateFromError(error) { return { error }; }
  render() { return this.state.error ? <p id="caught">{this.state.error.message}</p> : this.props.children; }
}
function App() {
  const [n, setN] = useState(1);
  const [shown, setShown] = useState(true);
  const [fail, setFail] = useState(false);
  Object.assign(window, { setN, setShown, setFail });
  return <main><Boundary>{shown && <Child n={n} fail={fail} />}</Boundary></main>;
}
render(<App />, document.getElementById("root"));
Object.assign(window, { log, stats: () => ({ memos }) });
`;

type Exposed = {
  log: string[];
  stats: () => { memos: number };
  setN: (n: number) => void;
  setShown: (shown: boolean) => void;
  setFail: (fail: boolean) => void;
};

let browser: Browser;
let page: Page;
/** How many of the page's log entries earlier steps took. */
let taken = 0;
/** The log's entries since those taken (read without removing them: a poll that sees half of a step's entries must
 * not take them from the next poll). */
const log = () => page.evaluate((from) => (window as unknown as Exposed).log.slice(from), taken);
/** Waits until the entries since those taken are `expected`, then takes them. */
async function logged(expected: string[]) {
  await expect.poll(log).toEqual(expected);
  taken += expected.length;
}
const call = <K extends "setN" | "setShown" | "setFail">(name: K, value: Parameters<Exposed[K]>[0]) =>
  page.evaluate(([n, v]) => (window as unknown as Record<string, (v: unknown) => void>)[n]!(v), [name, value] as const);

beforeAll(async () => {
  ({ browser, page } = await bundlePage(APP, "#child"));
});

afterAll(() => browser?.close());

describe("hooks", () => {
  it("run a layout effect on the committed DOM, then the effect after paint", async () => {
    await logged(["layout 1 true 1 2 0", "effect 1"]);
  });

  it("re-render on state, keep a memo until its deps change, and re-run effects after their cleanups", async () => {
    await page.locator("#child").click();
    await expect.poll(() => page.locator("#child").textContent()).toBe("1 2 1");
    expect((await page.evaluate(() => (window as unknown as Exposed).stats())).memos).toBe(1);
    // Same deps: no effect ran again.
    expect(await log()).toEqual([]);
    await call("setN", 3);
    await expect.poll(() => page.locator("#child").textContent()).toBe("3 6 1");
    await logged(["layout cleanup 1", "layout 3 true 3 6 1", "effect cleanup 1", "effect 3"]);
    expect((await page.evaluate(() => (window as unknown as Exposed).stats())).memos).toBe(2);
  });

  it("clean up on unmount, and run nothing for an unmounted component", async () => {
    await call("setShown", false);
    await expect.poll(() => page.locator("#child").count()).toBe(0);
    await logged(["layout cleanup 3", "effect cleanup 3"]);
    await call("setShown", true);
    await logged(["layout 3 true 3 6 0", "effect 3"]);
  });

  it("send an effect's error to the nearest error boundary", async () => {
    await call("setFail", true);
    await call("setN", 4);
    await expect.poll(() => page.locator("#caught").textContent()).toBe("effect failed");
  });
});
