// A project move's copy of rows as they are into its target data database (maintenance/move.ts).
import { chunkJson } from "./events.ts";

/**
 * The statements copying `rows` into `table` (INSERT OR IGNORE: a repeated step changes nothing), one JSON parameter
 * each; the rows all have the first row's columns.
 */
export function rowsCopy(target: D1Database, table: string, rows: Array<Record<string, unknown>>) {
  if (!rows.length) return [];
  const columns = Object.keys(rows[0]!);
  const sql = `INSERT OR IGNORE INTO ${table} (${columns.join(", ")})
    SELECT ${columns.map((_, i) => `value ->> ${i}`).join(", ")} FROM json_each(?1)`;
  return chunkJson(rows.map((r) => columns.map((c) => r[c]))).map((json) => target.prepare(sql).bind(json));
}
