// `node bench/ui-modules.ts [top]`: where the dashboard's JS bytes are. Builds the UI with source maps into a scratch
// folder, gives every minified character of a chunk to the source its map names (unmapped ones to "(glue)"), shares the
// chunk's gzip size among its modules by those characters, and prints modules by gzip bytes with their chunk.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "vite";

const top = Number(process.argv[2] ?? 60);
const out = mkdtempSync(join(tmpdir(), "ui-modules-"));
await build({ logLevel: "warn", build: { outDir: out, sourcemap: true, emptyOutDir: true } });

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** Each generated segment as [line, column, source index] (source -1 when the segment names none). */
function segments(mappings: string) {
  const found: [number, number, number][] = [];
  let source = 0;
  mappings.split(";").forEach((line, lineNo) => {
    let column = 0;
    for (const segment of line.split(",")) {
      if (!segment) continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += fields[0]!;
      if (fields.length > 1) source += fields[1]!;
      found.push([lineNo, column, fields.length > 1 ? source : -1]);
    }
  });
  return found;
}

const rows: { module: string; chunk: string; gz: number }[] = [];
let total = 0;
const assets = join(out, "assets");
for (const file of readdirSync(assets).filter((f) => f.endsWith(".js"))) {
  const code = readFileSync(join(assets, file), "utf8");
  const map = JSON.parse(readFileSync(join(assets, `${file}.map`), "utf8")) as { sources: string[]; mappings: string };
  const lines = code.split("\n");
  const chars = new Map<string, number>();
  const give = (name: string, n: number) => chars.set(name, (chars.get(name) ?? 0) + n);
  const segs = segments(map.mappings);
  let covered = 0;
  segs.forEach(([line, column, source], i) => {
    const next = segs[i + 1];
    const end = next && next[0] === line ? next[1] : lines[line]!.length;
    const name =
      source < 0
        ? "(glue)"
        : relative(process.cwd(), join(assets, map.sources[source]!)).replace(/^node_modules\//, "npm:");
    give(name, end - column);
    covered += end - column;
  });
  give("(glue)", code.length - covered);
  const gz = gzipSync(code, { level: 9 }).length;
  total += gz;
  const chunk = file.replace(/-[\w-]{8}\.js$/, "");
  for (const [module, n] of chars) rows.push({ module, chunk, gz: (gz * n) / code.length });
}
rmSync(out, { recursive: true, force: true });

rows.sort((a, b) => b.gz - a.gz);
console.log(`| module | chunk | gzip (share) |\n|---|---|---|`);
for (const r of rows.slice(0, top)) console.log(`| ${r.module} | ${r.chunk} | ${(r.gz / 1000).toFixed(2)} KB |`);
console.log(`\n${rows.length} modules, ${(total / 1000).toFixed(1)} KB gz in all chunks (the inline script apart)`);
