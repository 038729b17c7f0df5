// The dashboard's own signals (ui/lib/signals.ts, what `@preact/signals` resolves to): components re-render when a
// signal they read changes, and only while mounted; a computed value follows its sources. Real Preact in Chromium.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundlePage } from "./browser.ts";

const APP = `
import { render } from "preact";
import { computed, signal, useSignal } from "./ui/lib/signals.ts";
const count = signal(0);
const shown = signal(true);
let computes = 0;
let renders = 0;
const doubled = computed(() => { computes++; return count.value * 2; });
function Counter() {
  renders++;
  return <p id="count">{count.value} {doubled.value}</p>;
}
function Local() {
  const clicks = useSignal(0);
  return <button id="local" onClick={() => clicks.value++}>{clicks.value}</button>;
}
function App() {
  return <main>{shown.value && <Counter />}<Local /></main>;
}
render(<App />, document.getElementById("root"));
Object.assign(window, { count, shown, doubled, stats: () => ({ computes, renders }) });
`;

type Exposed = {
  count: { value: number };
  shown: { value: boolean };
  doubled: { value: number };
  stats: () => { computes: number; renders: number };
};

let browser: Browser;
let page: Page;
const stats = () => page.evaluate(() => (window as unknown as Exposed).stats());

beforeAll(async () => {
  ({ browser, page } = await bundlePage(APP, "#count"));
});

afterAll(() => browser?.close());

describe("signals", () => {
  it("re-render a component that read one when it changes, with its computed values", async () => {
    await expect.poll(() => page.locator("#count").textContent()).toBe("0 0");
    await page.evaluate(() => {
      (window as unknown as Exposed).count.value = 2;
    });
    await expect.poll(() => page.locator("#count").textContent()).toBe("2 4");
    await page.locator("#local").click();
    await page.locator("#local").click();
    await expect.poll(() => page.locator("#local").textContent()).toBe("2");
    // Clicking re-rendered only the button's component: the counter rendered twice, its computed ran twice.
    expect(await stats()).toEqual({ computes: 2, renders: 2 });
  });

  it("compute a value once per change of its sources, however often it is read", async () => {
    const before = await stats();
    const read = await page.evaluate(() => {
      const w = window as unknown as Exposed;
      return [w.doubled.value, w.doubled.value, w.doubled.value];
    });
    expect(read).toEqual([4, 4, 4]);
    expect((await stats()).computes).toBe(before.computes);
  });

  it("stop re-rendering a component once it is unmounted", async () => {
    await page.evaluate(() => {
      (window as unknown as Exposed).shown.value = false;
    });
    await expect.poll(() => page.locator("#count").count()).toBe(0);
    const before = await stats();
    await page.evaluate(() => {
      (window as unknown as Exposed).count.value = 7;
    });
    // A change the page does see, so the counter's would have rendered by now.
    await page.locator("#local").click();
    await expect.poll(() => page.locator("#local").textContent()).toBe("3");
    expect((await stats()).renders).toBe(before.renders);
  });
});
