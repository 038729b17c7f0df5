// The derived tables (trace summaries, the search index, cost and metric rollups) are kept by one module: the statements
// that add to them or rebuild them from events are imported by src/db/writes/derived.ts and nowhere else in src/.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** The statements that derive a table from events, by the file that holds their SQL. */
const DERIVING = {
  "summary.ts": ["SUMMARY_UPSERT_SQL", "SUMMARY_DELETE_SQL", "SUMMARY_REBUILD_SQL"],
  "search-index.ts": ["SEARCH_INDEX_SQL", "SEARCH_INDEX_EACH_SQL"],
  "cost-rollup.ts": ["COST_ROLLUP_SQL", "COST_ADJUST_SQL"],
  "metrics-rollup.ts": ["METRICS_ROLLUP_SQL", "METRICS_ADJUST_SQL"],
  "../search.ts": ["SEARCH_UNINDEX_TRACES_SQL", "SEARCH_REINDEX_TRACES_SQL"],
};

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
  });

describe("derived tables", () => {
  it("are added to and rebuilt only through src/db/writes/derived.ts", () => {
    const owners = new Set(Object.keys(DERIVING).map((f) => join("src/db/writes", f)));
    const found: string[] = [];
    for (const file of files("src")) {
      if (file === join("src/db/writes/derived.ts") || owners.has(file)) continue;
      const text = readFileSync(file, "utf8");
      for (const name of Object.values(DERIVING).flat())
        if (new RegExp(`\\b${name}\\b`).test(text)) found.push(`${file}: ${name}`);
    }
    expect(found).toEqual([]);
  });

  it("derived.ts uses every one of them", () => {
    const text = readFileSync("src/db/writes/derived.ts", "utf8");
    expect(
      Object.values(DERIVING)
        .flat()
        .filter((name) => !text.includes(name)),
    ).toEqual([]);
  });
});
