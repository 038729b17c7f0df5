// The slice of the D1 binding that the consumer's write path uses, over node:sqlite: lets the benchmark run the
// very same writeMessages() code on plain SQLite for a like-for-like baseline.
import type { DatabaseSync, SQLInputValue } from "node:sqlite";

export function sqliteAsD1(db: DatabaseSync): D1Database {
  const prepare = (sql: string) => ({
    sql,
    args: [] as SQLInputValue[],
    bind(...args: SQLInputValue[]) {
      return { ...this, args };
    },
  });
  const batch = async (statements: ReturnType<typeof prepare>[]) => {
    db.exec("BEGIN");
    for (const s of statements) db.prepare(s.sql).run(...s.args);
    db.exec("COMMIT");
    return [];
  };
  return { prepare, batch } as unknown as D1Database;
}
