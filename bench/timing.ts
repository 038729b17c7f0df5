// Shared timing for the read benchmarks: p50/p95 of an HTTP request to the Worker beside the same SQL on plain SQLite.
import type { DatabaseSync, SQLInputValue } from "node:sqlite";

/** Timed runs per read (`BENCH_RUNS` for a quicker pass on a busy machine). */
export const RUNS = Number(process.env.BENCH_RUNS ?? 40);
/** `path` empty: a plain-SQLite-only row (a baseline with no API counterpart). */
export type Case = {
  name: string;
  path: string;
  sql: Array<{ sql: string; params: unknown[] }>;
  headers?: Record<string, string>;
};

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

export async function time(run: () => Promise<unknown> | unknown) {
  for (let i = 0; i < 3; i++) await run();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await run();
    ms.push(performance.now() - t);
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

/** wrangler dev restarts the Worker when a build output it serves changes (e.g. `vite build` elsewhere): wait it out. */
async function fetchRetrying(url: string, init: RequestInit): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (err) {
      if (attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
}

/** Each case as an API request (with the secret key) and as its SQL on plain SQLite; one table row per case. */
export async function compare(base: string, key: string, plain: DatabaseSync, cases: Case[]) {
  const rows: string[] = [];
  for (const c of cases) {
    let count = 0;
    const api = !c.path
      ? null
      : await time(async () => {
          const res = await fetchRetrying(base + c.path, {
            headers: { Authorization: `Bearer ${key}`, ...c.headers },
          });
          if (!res.ok) throw new Error(`${c.path}: ${res.status} ${await res.text()}`);
          const body = (await res.json()) as {
            traces?: unknown[];
            events?: unknown[];
            groups?: unknown[];
            columns?: { event_id: unknown[] };
          };
          count = (body.traces ?? body.events ?? body.groups ?? body.columns?.event_id ?? []).length;
        });
    const sql = await time(() => {
      for (const q of c.sql) plain.prepare(q.sql).all(...(q.params as SQLInputValue[]));
    });
    const ms = (x: number) => x.toFixed(1);
    const ratio = api && c.sql.length ? `${(api.p50 / sql.p50).toFixed(1)}×` : "—";
    rows.push(
      `| ${c.name}${api ? ` (${count.toLocaleString("en-US")} rows)` : ""} | ${api ? ms(api.p50) : "—"} | ${api ? ms(api.p95) : "—"} | ${c.sql.length ? ms(sql.p50) : "—"} | ${c.sql.length ? ms(sql.p95) : "—"} | ${ratio} |`,
    );
  }
  return rows;
}

export function printTable(rows: string[], what: string) {
  console.log(
    `\n${what}: ${RUNS} runs each after 3 warm-ups; API = HTTP request to the Worker under wrangler dev (secret key, local D1)\n`,
  );
  console.log("| read | API p50 ms | API p95 ms | same SQL, plain SQLite p50 ms | p95 ms | API / SQLite (p50) |");
  console.log("|---|---|---|---|---|---|");
  for (const row of rows) console.log(row);
}
