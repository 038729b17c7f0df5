// Reading a local D1 file (wrangler's state) from Node while workerd may be writing it: a reader can meet
// "database is locked" (SQLITE_BUSY) mid-write, so each read waits on SQLite's busy handler and, past it, tries again
// on a fresh connection until a deadline. Opened per read, so every read sees the latest commit.
import { DatabaseSync, type SQLInputValue } from "node:sqlite";

const BUSY = new Set([5, 6]); // SQLITE_BUSY, SQLITE_LOCKED
const isBusy = (err: unknown) => BUSY.has((err as { errcode?: number }).errcode ?? -1);

/** Runs `read` on a read-only connection to `file`, retrying while the database is locked, up to `timeoutMs`. */
export async function readSqlite<T>(file: string, read: (db: DatabaseSync) => T, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let db: DatabaseSync | undefined;
    try {
      db = new DatabaseSync(file, { readOnly: true, timeout: 1_000 });
      return read(db);
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
