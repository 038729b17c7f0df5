// The slice of the D1 binding that the consumer's write path uses, over node:sqlite: lets the benchmark run the
// very same writeMessages() code on plain SQLite for a like-for-like baseline. `onStatement`, when given, hears the
// time each statement of a batch took, and the COMMIT's (as "COMMIT").
import type { DatabaseSync, SQLInputValue } from "node:sqlite";

export function sqliteAsD1(db: DatabaseSync, onStatement?: (sql: string, ms: number) => void): D1Database {
  const prepare = (sql: string) => ({
    sql,
    args: [] as SQLInputValue[],
    bind(...args: SQLInputValue[]) {
      return { ...this, args };
    },
    /** Reads (the score benchmark measures read functions that take a D1 binding). */
    async all() {
      return { results: db.prepare(sql).all(...this.args) };
    },
    async first() {
      return db.prepare(sql).get(...this.args) ?? null;
    },
  });
  const batch = async (statements: ReturnType<typeof prepare>[]) => {
    db.exec("BEGIN");
    for (const s of statements) {
      const start = performance.now();
      db.prepare(s.sql).run(...s.args);
      onStatement?.(s.sql, performance.now() - start);
    }
    const start = performance.now();
    db.exec("COMMIT");
    onStatement?.("COMMIT", performance.now() - start);
    return [];
  };
  return { prepare, batch } as unknown as D1Database;
}

/** CPU milliseconds (user + system) of the calling thread, where node:sqlite runs (Node 23.9+), else of the process. */
export function threadCpuMs() {
  const used = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.() ?? process.cpuUsage();
  return (used.user + used.system) / 1000;
}

/**
 * The D1 binding's reads and writes over node:sqlite (all, run, first, raw, batch in one transaction), for running
 * Worker code in Node; `clock.ms` sums the CPU time of the main thread spent inside SQLite (threadCpuMs), so the rest of
 * that thread's CPU time is the code's own.
 */
export function sqliteAsFullD1(db: DatabaseSync, clock: { ms: number }): D1Database {
  const value = (v: unknown) => (typeof v === "boolean" ? Number(v) : v === undefined ? null : v) as SQLInputValue;
  // The thread's CPU time, not wall time (on a busy machine the wall clock counts other processes' turns too) nor the
  // process's (its GC and other threads working meanwhile would be counted as SQLite's).
  const timed = <T>(run: () => T): T => {
    const start = threadCpuMs();
    try {
      return run();
    } finally {
      clock.ms += threadCpuMs() - start;
    }
  };
  const statement = (sql: string, args: SQLInputValue[] = []) => ({
    bind: (...values: unknown[]) => statement(sql, values.map(value)),
    all: async () => ({ results: timed(() => db.prepare(sql).all(...args)), success: true, meta: {} }),
    run: async () => ({ results: [], success: true, meta: timed(() => db.prepare(sql).run(...args)) }),
    first: async (column?: string) => {
      const row = timed(() => db.prepare(sql).get(...args)) as Record<string, unknown> | undefined;
      return row ? (column ? row[column] : row) : null;
    },
    raw: async (options?: { columnNames?: boolean }) =>
      timed(() => {
        const s = db.prepare(sql);
        s.setReturnArrays(true);
        const rows = s.all(...args) as unknown as unknown[][];
        return options?.columnNames ? [s.columns().map((c) => c.name), ...rows] : rows;
      }),
    sql,
    args,
  });
  return {
    prepare: (sql: string) => statement(sql),
    batch: async (statements: Array<ReturnType<typeof statement>>) =>
      timed(() => {
        db.exec("BEGIN");
        try {
          const out = statements.map((s) => ({ results: db.prepare(s.sql).all(...s.args), success: true, meta: {} }));
          db.exec("COMMIT");
          return out;
        } catch (err) {
          db.exec("ROLLBACK");
          throw err;
        }
      }),
  } as unknown as D1Database;
}
