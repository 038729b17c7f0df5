// quick sizes: node /tmp/sdkm/size.ts [srcdir]
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
const dir = process.argv[2] ?? "./sdk/js/src";
const ext = process.argv[3] ?? "ts";
async function b(exports: string, from: string, show = false) {
  const out = await build({ stdin: { contents: exports.replaceAll("FROM", from), resolveDir: process.cwd(), loader: "ts" },
    bundle: true, minify: true, format: "esm", platform: "browser", write: false, metafile: true });
  const raw = out.outputFiles[0]!.contents;
  if (show) process.stdout.write(out.outputFiles[0]!.text + "\n");
  return `${(gzipSync(raw, { level: 9 }).length / 1024).toFixed(3)} KB gz (${raw.length} B min)`;
}
const show = process.env.SHOW;
console.log("full  ", await b('export * from "FROM";', `${dir}/index.${ext}`, show === "full"));
console.log("client", await b('export { createClient } from "FROM";', `${dir}/index.${ext}`, show === "client"));
console.log("browser", await b('export { createClient, flushOnPageExit } from "FROM";', `${dir}/index.${ext}`));
