// `node scripts/finish-rekey.ts FILE…`: runs migration 0029's `events_rekey` job to its end in local SQLite files (a
// local D1 state, a benchmark's database), step by step through the same code as the Cron's
// (src/db/writes/events-rekey.ts), so a freshly migrated database ends on the new events table at once instead of
// writing every event twice until a maintenance run. Its own process: the callers are synchronous (finishRekeyIn).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { finishEventsRekey, type SqlRunner } from "../src/db/writes/events-rekey.ts";

/** The job's statements over node:sqlite: a transaction is BEGIN … COMMIT, rolled back when a statement throws. */
export function sqliteRunner(db: DatabaseSync): SqlRunner {
  return {
    first: async <T>(sql: string, ...params: unknown[]) =>
      (db.prepare(sql).get(...(params as SQLInputValue[])) as T | undefined) ?? null,
    transaction: async (statements) => {
      db.exec("BEGIN");
      try {
        for (const [sql, ...params] of statements) db.prepare(sql).run(...(params as SQLInputValue[]));
        db.exec("COMMIT");
      } catch (err) {
        db.exec("ROLLBACK");
        throw err;
      }
    },
  };
}

/** Finishes the job in each SQLite file that exists, each once (synchronously, in a child process). */
export function finishRekeyIn(paths: Iterable<string>) {
  const files = [...new Set(paths)].filter((file) => existsSync(file));
  if (files.length) execFileSync(process.execPath, [fileURLToPath(import.meta.url), ...files], { stdio: "inherit" });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of process.argv.slice(2)) {
    const db = new DatabaseSync(file);
    try {
      await finishEventsRekey(sqliteRunner(db));
    } finally {
      db.close();
    }
  }
}
