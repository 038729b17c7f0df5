// Scores in the dashboard: a score config made in Settings, an annotation added, edited and deleted from the inspector
// with the config's values, the trace list filtered by a score and showing it as a column; the trace page and the
// inspector laid out within the window at desktop and phone widths, light and dark.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch } from "./browser.ts";
import { type Account, base, createAccount, openPage, sendEvents, until, VIEWS } from "./fixtures.ts";

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const T0 = Date.now() - 60_000;

async function seed(account: Account, trace: string) {
  await sendEvents(account, [
    {
      event_id: `${trace}-root`,
      trace_id: trace,
      type: "span",
      name: `agent ${trace}`,
      timestamp: T0,
      duration_ms: 900,
    },
    {
      event_id: `${trace}-llm`,
      trace_id: trace,
      parent_event_id: `${trace}-root`,
      type: "model_response",
      name: "answer",
      model: "gpt-4o-mini",
      timestamp: T0 + 10,
      duration_ms: 400,
      usage: { input_tokens: 10, output_tokens: 5 },
    },
  ]);
}

const api = (account: Account, path: string, method: string, json?: unknown) =>
  fetch(`${base}${path}`, {
    method,
    headers: { Cookie: account.cookie, Origin: base, "Content-Type": "application/json" },
    body: json === undefined ? undefined : JSON.stringify(json),
  });

async function scoreCount(account: Account, trace: string) {
  const res = await fetch(`${base}/api/v1/scores?trace_id=${trace}`, {
    headers: { Authorization: `Bearer ${account.keys.secret}` },
  });
  return ((await res.json()) as { scores: unknown[] }).scores.length;
}

/** Whether an element is on screen whole and on top, not clipped by a scrolled box (the box at its scroll start). */
function shownWhole(el: Element) {
  const r = el.getBoundingClientRect();
  // Its top and bottom edges' middles (a rounded corner's point belongs to what is under it).
  const x = (r.left + r.right) / 2;
  return r.height > 0 && [r.top + 2, r.bottom - 2].every((y) => el.contains(document.elementFromPoint(x, y)));
}

/** Elements of the scores sections wider than their section or the page. */
function layoutProblems(page: Page) {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width) problems.push(`page scrolls sideways (${width} px)`);
    for (const section of Array.from(document.querySelectorAll<HTMLElement>("[data-testid=scores]"))) {
      const r = section.getBoundingClientRect();
      if (r.left < -0.5 || r.right > width + 0.5) problems.push(`scores section: ${Math.round(r.width)} px`);
      for (const el of Array.from(section.querySelectorAll<HTMLElement>("li, label, button, input, select"))) {
        if (!el.offsetParent) continue;
        const b = el.getBoundingClientRect();
        if (b.right > r.right + 0.5) problems.push(`"${el.textContent?.slice(0, 30)}" overflows its section`);
        if (Number.parseFloat(getComputedStyle(el).fontSize) < 12) problems.push(`"${el.textContent}" tiny`);
      }
    }
    return problems;
  });
}

describe("scores in the dashboard", () => {
  it("configures a score, annotates an event with it, edits and deletes it, and filters the list by it", async () => {
    const account = await createAccount("Annotator");
    await seed(account, "t-one");
    await seed(account, "t-two");
    await until(
      async () => (await api(account, `/api/v1/traces/t-two?project_id=${account.project}`, "GET")).ok,
      "traces",
    );

    const settings = await openPage(browser, account, "/settings/scores");
    const configs = settings.page.getByTestId("score-configs");
    await configs.waitFor({ timeout: 15_000 });
    await configs.getByLabel("Name").fill("verdict");
    await configs.getByLabel("Kind").selectOption("categorical");
    await configs.getByLabel("Values (comma-separated)").fill("good, bad");
    await configs.getByRole("button", { name: "Save config" }).click();
    await expect.poll(() => configs.textContent()).toContain("good, bad");
    await settings.context.close();

    const { page, context } = await openPage(browser, account, "/traces/t-one?event=t-one-llm");
    const inspector = page.getByTestId("inspector");
    const scores = inspector.getByTestId("scores");
    await scores.getByRole("button", { name: "Annotate" }).click({ timeout: 15_000 });
    await scores.getByLabel("Value").selectOption("bad");
    await scores.getByLabel("Comment").fill("wrong plan");
    await scores.getByRole("button", { name: "Add score" }).press("Enter");
    await expect.poll(() => scores.locator("li").textContent()).toContain("wrong plan");
    expect(await scores.locator("li").textContent()).toContain("annotation · you");

    await scores.getByRole("button", { name: "Edit verdict" }).click();
    await scores.getByLabel("Value").selectOption("good");
    await scores.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => scores.locator(".score-value").textContent()).toBe("good");
    expect(await scoreCount(account, "t-one")).toBe(1);

    // The list: only t-one has a verdict of good; t-two has none; the column shows the label.
    await page.goto(`${base}/p/${account.project}/traces?score=verdict&score_value=good&score_columns=verdict`);
    const table = page.getByTestId("trace-table");
    await expect.poll(() => table.locator("tbody tr").count(), { timeout: 15_000 }).toBe(1);
    expect(await table.textContent()).toContain("good");
    await page.goto(`${base}/p/${account.project}/traces?score=verdict&score_missing=true`);
    await expect.poll(() => table.locator("tbody tr[data-trace]").first().getAttribute("data-trace")).toBe("t-two");
    expect(await table.locator("tbody tr").count()).toBe(1);

    await page.goto(`${base}/p/${account.project}/traces/t-one?event=t-one-llm`);
    await scores.getByRole("button", { name: "Delete verdict" }).click({ timeout: 15_000 });
    await expect.poll(() => scores.textContent()).toContain("No scores yet.");
    expect(await scoreCount(account, "t-one")).toBe(0);
    await context.close();
  });

  it("keeps a typed value and comment when the name is typed after them (no configs)", async () => {
    const account = await createAccount("AnyOrder");
    await seed(account, "t-order");
    await until(
      async () => (await api(account, `/api/v1/traces/t-order?project_id=${account.project}`, "GET")).ok,
      "trace",
    );
    const { page, context } = await openPage(browser, account, "/traces/t-order");
    const scores = page.getByTestId("scores").first();
    await scores.getByRole("button", { name: "Annotate" }).click({ timeout: 15_000 });
    await scores.getByLabel("Value").fill("0.4");
    await scores.getByLabel("Comment").fill("slow but right");
    // Typing the name renders the form again, keystroke by keystroke.
    await scores.getByLabel("Name").pressSequentially("speed");
    expect(await scores.getByLabel("Value").inputValue()).toBe("0.4");
    expect(await scores.getByLabel("Comment").inputValue()).toBe("slow but right");
    await scores.getByRole("button", { name: "Add score" }).click();
    await expect.poll(() => scores.locator("li").textContent()).toContain("slow but right");
    expect(await scores.locator(".score-value").textContent()).toBe("0.4");
    await context.close();
  });

  it("offers a member Edit and Delete on their own annotations only", async () => {
    const owner = await createAccount("NotesOwner");
    await seed(owner, "t-notes");
    const me = (await (await api(owner, "/api/me", "GET")).json()) as { orgs: Array<{ id: string }> };
    const invited = await api(owner, `/api/orgs/${me.orgs[0]!.id}/invites`, "POST", { role: "member" });
    const { token } = ((await invited.json()) as { invite: { token: string } }).invite;
    const joined = await createAccount("NotesMember");
    expect((await api(joined, `/api/invites/${token}/accept`, "POST")).status).toBe(200);
    const member = { ...joined, project: owner.project };
    const annotate = async (who: Account, name: string) =>
      expect(
        (await api(who, `/api/projects/${owner.project}/scores`, "POST", { trace_id: "t-notes", name, value: 1 }))
          .status,
      ).toBe(201);
    await annotate(owner, "owner-note");
    await annotate(member, "member-note");

    const { page, context } = await openPage(browser, member, "/traces/t-notes");
    const scores = page.getByTestId("scores").first();
    await expect.poll(() => scores.locator("li").count(), { timeout: 15_000 }).toBe(2);
    const item = (name: string) => scores.locator(`li[data-score="${name}"]`);
    expect(await item("owner-note").textContent()).toContain("a member");
    expect(await item("owner-note").getByRole("button").count()).toBe(0);
    expect(await item("member-note").textContent()).toContain("you");
    await page.screenshot({ path: "/tmp/watchllm-scores-as-member-1280-light.png" });
    await item("member-note").getByRole("button", { name: "Delete member-note" }).click();
    await expect.poll(() => scores.locator("li").count()).toBe(1);
    expect(await scores.locator("li").getAttribute("data-score")).toBe("owner-note");
    await context.close();
  });

  for (const view of VIEWS) {
    it(`lays the trace's and the event's scores out within the window (${view.width} px, ${view.colorScheme})`, async () => {
      const account = await createAccount("ScoresLayout");
      await seed(account, "t-lay");
      await until(
        async () => (await api(account, `/api/v1/traces/t-lay?project_id=${account.project}`, "GET")).ok,
        "trace",
      );
      await fetch(`${base}/api/v1/scores`, {
        method: "POST",
        headers: { Authorization: `Bearer ${account.keys.secret}`, "Content-Type": "application/json" },
        body: JSON.stringify({
          scores: [
            { trace_id: "t-lay", name: "helpfulness", value: 0.83, comment: "A long reviewer comment ".repeat(6) },
            { trace_id: "t-lay", name: "thumbs", value: true, source: "feedback", context: { user_id: "end-user-42" } },
            {
              trace_id: "t-lay",
              event_id: "t-lay-llm",
              name: "a-rather-long-score-name-for-layout",
              value: "acceptable",
            },
          ],
        }),
      });
      await until(async () => (await scoreCount(account, "t-lay")) === 3, "scores");
      const { page, context } = await openPage(browser, account, "/traces/t-lay?event=t-lay-llm", view);
      const inspector = page.getByTestId("inspector");
      await inspector.getByTestId("scores").getByRole("button", { name: "Annotate" }).click({ timeout: 15_000 });
      await page.locator(".trace-scores li").first().waitFor();
      expect(await page.locator(".trace-scores li").count()).toBe(2);
      // The tree marks the event that has a score.
      expect(await page.getByTestId("scored").textContent()).toContain("1");
      expect(await layoutProblems(page)).toEqual([]);
      // The trace's Annotate button shows without scrolling its scores box: the list scrolls inside it instead.
      const annotate = page.locator(".trace-scores").getByRole("button", { name: "Annotate" });
      expect(await annotate.evaluate(shownWhole)).toBe(true);
      const shots = process.env.WATCHLLM_SHOTS;
      if (shots) await page.screenshot({ path: `${shots}/trace-scores-${view.width}-${view.colorScheme}.png` });
      await context.close();
    });
  }
});
