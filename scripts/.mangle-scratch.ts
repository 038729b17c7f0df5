import { gzipSync } from "node:zlib";
import { build } from "esbuild";
const re = new RegExp(process.argv[2]!);
const out = await build({ stdin: { contents: 'export { createClient } from "./sdk/js/src/index.ts";', resolveDir: process.cwd(), loader: "ts" }, bundle: true, minify: true, format: "esm", platform: "browser", write: false, mangleProps: re });
console.log(gzipSync(out.outputFiles[0]!.contents, { level: 9 }).length, out.outputFiles[0]!.contents.length);
