// The whole-project minute rollups' stored percentiles (the migration named *_metrics_percentiles.sql): its triggers keep them
// equal to what reading the row's sketch gives, through inserts, the consumer's merging upsert and a subtraction, and
// the migration fills them for rows written before it. On plain SQLite (node:sqlite), the migrations as D1 applies them.
import { readdirSync, readFileSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { STORED_PERCENTILES } from "../../src/db/queries/metrics.ts";
import { bucketOf, quantile, type Sketch, sketchOf } from "../../src/lib/sketch.ts";

const FILES = readdirSync("migrations")
  .filter((f) => f.endsWith(".sql"))
  .sort();
const PERCENTILES = FILES.findIndex((f) => f.endsWith("_metrics_percentiles.sql"));

/** Applies these migration files, statement by statement. */
function migrated(db: DatabaseSync, files: string[]) {
  for (const f of files)
    for (const statement of readFileSync(`migrations/${f}`, "utf8").split("--> statement-breakpoint"))
      if (statement.trim()) db.exec(statement);
}

/** The consumer's merge of two stored sketches (metrics-rollup.ts' mergeJson), as an upsert of sketch `?3` into ?1/?2. */
const UPSERT = (table: string) => `INSERT INTO ${table} (project_id, bucket, count, errors, input_tokens, output_tokens,
    cached_input_tokens, cost, duration_sum, duration_count, latency, first_token_count, first_token)
  VALUES (?1, ?2, 1, 0, 0, 0, 0, 0, 0, 0, ?3, 0, ?4)
  ON CONFLICT (project_id, bucket) DO UPDATE SET
    latency = (SELECT coalesce(json_group_object(key, n), '{}') FROM (SELECT key, sum(value) AS n FROM
      (SELECT key, value FROM json_each(${table}.latency) UNION ALL SELECT key, value FROM json_each(excluded.latency))
      GROUP BY key HAVING n <> 0)),
    first_token = (SELECT coalesce(json_group_object(key, n), '{}') FROM (SELECT key, sum(value) AS n FROM
      (SELECT key, value FROM json_each(${table}.first_token) UNION ALL SELECT key, value FROM json_each(excluded.first_token))
      GROUP BY key HAVING n <> 0))`;

const negated = (s: Sketch) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, -v]));

/** The stored percentiles a row of these values must hold: the sketch bucket of each nearest-rank percentile. */
function expected(latency: number[], firstToken: number[]) {
  return Object.fromEntries(
    STORED_PERCENTILES.map((p) => {
      const [, sketch, q] = /^(.*)_p(\d+)$/.exec(p)!;
      const value = quantile(sketchOf(sketch === "latency" ? latency : firstToken), Number(q) / 100);
      return [p, value === null ? null : bucketOf(value)];
    }),
  );
}

function stored(db: DatabaseSync, table: string, bucket: number) {
  const row = db.prepare(`SELECT * FROM ${table} WHERE project_id = 'p' AND bucket = ?`).get(bucket) as Record<
    string,
    unknown
  >;
  return Object.fromEntries(STORED_PERCENTILES.map((p) => [p, row[p]]));
}

// Latencies from 0 to about 30 s (with zeros and sub-millisecond values), first tokens for some.
const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => ((i * 7919 + seed) % 3001) ** 1.3 / 10);

describe("stored percentiles of the whole-project minute rollups", () => {
  it("equal the row's sketch read after inserts, merging upserts and a subtraction", () => {
    expect(PERCENTILES).toBeGreaterThan(0);
    const db = new DatabaseSync(":memory:");
    migrated(db, FILES);
    for (const table of ["metrics_total_minute"]) {
      const upsert = db.prepare(UPSERT(table));
      const [a, b] = [values(40, 1), values(300, 2)];
      const [fa, fb] = [a.slice(0, 7), b.slice(0, 90)];
      upsert.run("p", 0, JSON.stringify(sketchOf(a)), JSON.stringify(sketchOf(fa)));
      expect(stored(db, table, 0), table).toEqual(expected(a, fa));
      upsert.run("p", 0, JSON.stringify(sketchOf(b)), JSON.stringify(sketchOf(fb)));
      expect(stored(db, table, 0), table).toEqual(expected([...a, ...b], [...fa, ...fb]));
      // Taken away again (a deletion adjusts by difference): back to the first sketch's.
      upsert.run("p", 0, JSON.stringify(negated(sketchOf(b))), JSON.stringify(negated(sketchOf(fb))));
      expect(stored(db, table, 0), table).toEqual(expected(a, fa));
      // An empty sketch stores no percentile.
      upsert.run("p", 1, "{}", "{}");
      expect(Object.values(stored(db, table, 1))).toEqual(STORED_PERCENTILES.map(() => null));
    }
  });

  it("are filled by the migration for rows written before it", () => {
    const db = new DatabaseSync(":memory:");
    migrated(db, FILES.slice(0, PERCENTILES));
    const rows = [values(500, 3), values(1, 4), values(77, 5)];
    const tables = ["metrics_total_minute"];
    for (const table of tables)
      for (const [bucket, v] of rows.entries())
        db.prepare(UPSERT(table)).run("p", bucket, JSON.stringify(sketchOf(v)), JSON.stringify(sketchOf(v.slice(3))));
    migrated(db, FILES.slice(PERCENTILES));
    for (const table of tables)
      for (const [bucket, v] of rows.entries())
        expect(stored(db, table, bucket), table).toEqual(expected(v, v.slice(3)));
  });
});
