// Shared by the dashboard's browser tests: an account made through the API (optionally with the demo data), pages
// opened signed in at a size and colour scheme, events sent with its ingest key, and DOM measurements.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect, inject } from "vitest";
import { loadDemoData, waitForDemoData } from "../../scripts/demo-data.ts";
import { signUpOn } from "../../scripts/dev-server.ts";
import { waitFor } from "../support/wait.ts";

export const base = inject("baseUrl");

export type Account = { cookie: string; project: string; keys: { ingest: string; secret: string } };

export async function createAccount(name: string, demo = false): Promise<Account> {
  const { cookie, project, keys } = await signUpOn(base, name);
  const account = { cookie, project: project.id, keys };
  if (demo) {
    await loadDemoData(base, account.keys.ingest);
    await waitForDemoData(base, account.keys.secret);
  }
  return account;
}

export type View = { width?: number; height?: number; colorScheme?: "light" | "dark" };

/** The four ways a page is checked by eye and by layout asserts: desktop and phone, light and dark. */
export const VIEWS = [
  { width: 1280, colorScheme: "light" },
  { width: 1280, colorScheme: "dark" },
  { width: 375, colorScheme: "light" },
  { width: 375, colorScheme: "dark" },
] as const;

/** Opens `/p/<project><path>` signed in as `account`. */
export async function openPage(
  browser: Browser,
  account: Account,
  path: string,
  view: View = {},
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({
    viewport: { width: view.width ?? 1280, height: view.height ?? 800 },
    colorScheme: view.colorScheme ?? "light",
  });
  const [name, value] = account.cookie.split("=");
  await context.addCookies([{ name: name!, value: value!, url: base }]);
  const page = await context.newPage();
  await page.goto(`${base}/p/${account.project}${path}`);
  return { page, context };
}

/** Sends wire events with the account's ingest key and waits until the trace API has every one of their traces. */
export async function sendEvents(account: Account, events: Array<Record<string, unknown>>) {
  const res = await fetch(`${base}/api/v1/events`, {
    method: "POST",
    headers: { Authorization: `Bearer ${account.keys.ingest}`, "Content-Type": "application/json" },
    body: JSON.stringify({ events }),
  });
  expect(res.status).toBe(202);
  const count = new Map<string, number>();
  for (const e of events) count.set(e.trace_id as string, (count.get(e.trace_id as string) ?? 0) + 1);
  for (const [traceId, spans] of count) {
    await until(async () => {
      const r = await fetch(`${base}/api/v1/traces/${encodeURIComponent(traceId)}`, {
        headers: { Authorization: `Bearer ${account.keys.secret}` },
      });
      return r.ok && ((await r.json()) as { trace: { span_count: number } }).trace.span_count === spans;
    }, `trace ${traceId} with ${spans} event(s)`);
  }
}

/** Waits for `done` to hold, up to a deadline (usable in hooks, where expect.poll is not). */
export const until = (done: () => Promise<boolean>, what: string, timeoutMs = 20_000) =>
  waitFor(done, Boolean, { what, timeoutMs, everyMs: 100 });

/** GET an API path with the account's secret key. */
export async function apiGet<T>(account: Account, path: string): Promise<T> {
  const res = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${account.keys.secret}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

/** How many elements from `el` up (and the document) scroll vertically right now: 1 means one scroll area. */
export const SCROLLERS_OF = (el: Element) => {
  let count = 0;
  for (let node = el.parentElement; node; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (/(auto|scroll)/.test(style.overflowY) && node.scrollHeight > node.clientHeight + 1) count++;
  }
  const doc = document.scrollingElement!;
  if (doc.scrollHeight > innerHeight + 1) count++;
  return count;
};

/** A CSV parser that follows RFC 4180 (quoted fields, doubled quotes, CRLF rows), to read back what we wrote. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}
