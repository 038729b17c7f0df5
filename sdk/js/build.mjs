// The package's build (`npm run build`, and `prepack`): tsc emits JavaScript and declarations to dist/, then esbuild
// shortens the SDK's internal property names (`_`-prefixed: `o._url`, `span._tr`) in every file, consistently, to
// one or two letters; what users bundle is smaller and the code stays readable in src/. Nothing else changes: dist/
// stays one unminified file per source file (the app's bundler minifies and tree-shakes it). Plain JavaScript, so it
// runs on any Node the package is packed with.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Builds the package into `outDir` (default dist/). */
export async function buildSdk(outDir = join(here, "dist")) {
  const { transform } = await import("esbuild");
  execFileSync(
    process.execPath,
    [require.resolve("typescript/bin/tsc"), "-p", join(here, "tsconfig.json"), "--outDir", outDir],
    {
      stdio: "inherit",
    },
  );
  const files = readdirSync(outDir).filter((f) => f.endsWith(".js"));
  const sources = files.map((f) => readFileSync(join(outDir, f), "utf8"));
  // Every property name of the code (esbuild lists them all when asked to rename them all) is reserved, so a
  // shortened name never meets a property of the same name. The most used internal names get the letters minified
  // JavaScript is most made of: gzip codes a frequent character in fewer bits than a rare capital.
  const mangleCache = {};
  const uses = {};
  for (const source of sources) {
    for (const name of Object.keys((await transform(source, { mangleProps: /./, mangleCache: {} })).mangleCache))
      if (!name.startsWith("_")) mangleCache[name] = false;
    for (const [name] of source.matchAll(/(?<=[.{,\s])_[a-zA-Z]\w*/g)) uses[name] = (uses[name] ?? 0) + 1;
  }
  const letters = [..."tenorsailcudhpmfgvybwxkjqzTMSOIELDPACRNUWHJFBKQYGVXZ"].filter((c) => mangleCache[c] !== false);
  for (const name of Object.keys(uses).sort((a, b) => uses[b] - uses[a])) mangleCache[name] = letters.shift();
  for (const [i, file] of files.entries()) {
    const out = await transform(sources[i], {
      mangleProps: /^_[a-zA-Z]/,
      mangleCache,
      format: "esm",
      target: "es2022",
    });
    Object.assign(mangleCache, out.mangleCache);
    writeFileSync(join(outDir, file), out.code);
  }
  if (process.env.SHOW_MANGLE) console.log(Object.fromEntries(Object.entries(mangleCache).filter(([, v]) => v)));
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildSdk(process.argv[2]);
