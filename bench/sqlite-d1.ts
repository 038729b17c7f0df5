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
