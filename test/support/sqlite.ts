// Reading a local D1 file (wrangler's state) from Node while workerd may be writing it: a reader can meet
// "database is locked" (SQLITE_BUSY) mid-write, so each read waits on SQLite's busy handler and, past it, tries again
// on a fresh connection until a deadline. Opened per read, so every read sees the latest commit.
import { DatabaseSync, type SQLInputValue } from "node:sqlite";

const BUSY = new Set([5, 6]); // SQLITE_BUSY, SQLITE_LOCKED
const isBusy = (err: unknown) => BUSY.has((err as { errcode?: number }).errcode ?? -1);

/** Runs `read` on a read-only connection to `file`, retrying while the database is locked, up to `timeoutMs`. */
export const readSqlite = <T>(file: string, read: (db: DatabaseSync) => T, timeoutMs = 15_000): Promise<T> =>
  useSqlite(file, read, { readOnly: true, timeoutMs });

/**
 * Runs `use` on a connection to `file` (writable unless `readOnly`), retrying on a fresh connection while the database
 * is locked, up to `timeoutMs`: for a file workerd may still hold (a bench's VACUUM after its server stopped).
 */
export async function useSqlite<T>(
  file: string,
  use: (db: DatabaseSync) => T,
  { readOnly = false, timeoutMs = 15_000 }: { readOnly?: boolean; timeoutMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let db: DatabaseSync | undefined;
    try {
      db = new DatabaseSync(file, { readOnly, timeout: 1_000 });
      return use(db);
    } catch (err) {
      if (!isBusy(err) || Date.now() > deadline) throw err;
    } finally {
      db?.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The rows of one query (see readSqlite). */
export const queryRows = <T>(file: string, sql: string, ...params: SQLInputValue[]) =>
  readSqlite(file, (db) => db.prepare(sql).all(...params) as T[]);
