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

/**
 * The D1 binding's reads and writes over node:sqlite (all, run, first, raw, batch in one transaction), for running
 * Worker code in Node; `clock.ms` sums the CPU time spent inside SQLite, so the rest of the CPU time is the code's own.
 */
export function sqliteAsFullD1(db: DatabaseSync, clock: { ms: number }): D1Database {
  const value = (v: unknown) => (typeof v === "boolean" ? Number(v) : v === undefined ? null : v) as SQLInputValue;
  // CPU time, not wall time: on a busy machine the wall clock would count other processes' turns too.
  const timed = <T>(run: () => T): T => {
    const start = process.cpuUsage();
    try {
      return run();
    } finally {
      const used = process.cpuUsage(start);
      clock.ms += (used.user + used.system) / 1000;
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
