import { gzipSync } from "node:zlib";
import { build } from "esbuild";
const which = process.argv[2] ?? "client";
const ex = which === "client" ? 'export { createClient } from "./sdk/js/src/index.ts";' : 'export * from "./sdk/js/src/index.ts";';
const out = await build({ stdin: { contents: ex, resolveDir: process.cwd(), loader: "ts" }, bundle: true, minify: true, format: "esm", platform: "browser", write: false });
const code = out.outputFiles[0]!.text;
const gz = (s: string) => gzipSync(s, { level: 9 }).length;
const total = gz(code);
console.log("total", total, code.length);
// split at top-level statement boundaries: naive split on ';var |;function |;async function |}function |}var |;export'
const parts = code.split(/(?=(?:var |function |async function |export\{))/);
let rows: [number, number, string][] = [];
for (let i = 0; i < parts.length; i++) {
  const without = parts.filter((_, j) => j !== i).join("");
  rows.push([total - gz(without), parts[i]!.length, parts[i]!.slice(0, 70)]);
}
rows.sort((a, b) => b[0] - a[0]);
for (const r of rows) console.log(String(r[0]).padStart(5), String(r[1]).padStart(5), r[2]);
