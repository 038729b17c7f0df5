import { build } from "esbuild";
const dir = process.argv[2] ?? "./sdk/js/src/index.ts";
const ex = process.argv[3] ?? "createClient";
const out = await build({ stdin: { contents: `export { ${ex} } from "${dir}";`, resolveDir: process.cwd(), loader: "ts" }, bundle: true, minify: true, format: "esm", platform: "browser", write: false });
console.log(out.outputFiles[0]!.text.replace(/;(?=(var|function|async function|let) )/g, ";\n"));
