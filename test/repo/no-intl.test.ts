// The dashboard writes numbers, money and moments itself (ui/lib/format.ts), as en-US writes them, and never with Intl:
// a tab's first Intl format (Intl.*, toLocaleString and kin) loads the locale's data, 11–15 ms of the main thread on
// the first screen of whichever page formats first (measured on the trace page: docs/benchmarks.md, issue 29 part 2).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );

it("no dashboard module formats with Intl", () => {
  const uses = files("ui").flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .flatMap((line, i) =>
        /\bIntl\.|\.toLocale(String|DateString|TimeString)\(/.test(line) && !/^\s*(\/\/|\*)/.test(line)
          ? [`${file}:${i + 1}: ${line.trim()}`]
          : [],
      ),
  );
  expect(uses).toEqual([]);
  // The check finds what it looks for.
  expect(/\.toLocale(String|DateString|TimeString)\(/.test("n.toLocaleString()")).toBe(true);
});
