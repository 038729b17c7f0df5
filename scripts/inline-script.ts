// index.html's inline script as the page carries it: minified at build (vite.config.ts), so every page downloads
// 68 B gz less than its readable source; the CSP in ui/public/_headers names this form's sha256, and the build and
// test/repo/csp.test.ts both check that it does.
import { createHash } from "node:crypto";
import { transformSync } from "esbuild";

/** The script as served: esbuild-minified (same language level as the build), without the trailing newline. */
export const servedScript = (source: string) => transformSync(source, { minify: true, target: "es2022" }).code.trim();

/** The CSP source that allows exactly this script. */
export const cspHash = (script: string) => `'sha256-${createHash("sha256").update(script).digest("base64")}'`;
