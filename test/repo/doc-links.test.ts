// Every relative link in the READMEs and docs/ leads somewhere: the file exists and, for a `#fragment` into Markdown,
// a heading of that file has that anchor (GitHub's: lower case, punctuation dropped, spaces as hyphens, repeats
// numbered). A heading renamed by a benchmark update broke six links once.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";

const withoutCode = (text: string) => text.replace(/```[\s\S]*?```/g, "");
const slug = (heading: string) =>
  heading
    .replace(/`/g, "")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");

function anchorsOf(file: string) {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of withoutCode(readFileSync(file, "utf8")).matchAll(/^#{1,6}\s+(.*)$/gm)) {
    const s = slug(heading!);
    const n = seen.get(s) ?? 0;
    seen.set(s, n + 1);
    anchors.add(n ? `${s}-${n}` : s);
  }
  return anchors;
}

const documents = [
  "README.md",
  "CONTRIBUTING.md",
  "CHANGELOG.md",
  "sdk/js/README.md",
  "sdk/python/README.md",
  ...readdirSync("docs")
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

describe("links in the docs", () => {
  for (const document of documents)
    it(`${document}: every relative link resolves`, () => {
      const broken: string[] = [];
      for (const [, link] of withoutCode(readFileSync(document, "utf8")).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(link!)) continue;
        const [path, fragment] = link!.split("#");
        const target = path ? normalize(join(dirname(document), path)) : document;
        if (!existsSync(target)) broken.push(`${link}: no such file`);
        else if (fragment && target.endsWith(".md") && !anchorsOf(target).has(fragment))
          broken.push(`${link}: no such heading`);
      }
      expect(broken).toEqual([]);
    });
});
