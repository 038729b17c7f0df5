// `npm run pack:sdk`: both SDKs as files to install from a clone until they are on npm and PyPI: the TypeScript SDK as
// an npm tarball (built by its `prepack`) and the Python SDK as a wheel, in dist/sdk/ (or `--out <dir>`).
// `--only js` / `--only python` builds one. The wheel's build backend (hatchling) comes from the pip index once;
// installing the wheel needs nothing (`pip install <wheel> --no-index`).
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function run(command: string, args: string[], cwd: string): string {
  const out = spawnSync(command, args, { cwd, env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: "1" } });
  if (out.status !== 0) {
    process.stderr.write(`${out.stdout}${out.stderr}`);
    throw new Error(`${command} ${args.join(" ")} exited with ${out.status ?? out.signal}`);
  }
  return out.stdout.toString();
}

/** Packs sdk/js into `out` and returns the tarball's path. */
export function packJs(out: string): string {
  mkdirSync(out, { recursive: true });
  const [packed] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", out], join(root, "sdk", "js")));
  return join(out, packed.filename);
}

/** Builds the wheel of sdk/python into `out` with `python` and returns its path. */
export function buildWheel(out: string, python = process.env.PYTHON ?? "python3"): string {
  mkdirSync(out, { recursive: true });
  run(python, ["-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", out, join(root, "sdk", "python")], root);
  const wheel = readdirSync(out).find((name) => name.startsWith("watchllm-") && name.endsWith(".whl"));
  if (!wheel) throw new Error(`no watchllm wheel in ${out}`);
  return join(out, wheel);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { out: { type: "string" }, only: { type: "string" } } });
  const out = resolve(values.out ?? join(root, "dist", "sdk"));
  const shown = (path: string) => relative(process.cwd(), path) || path;
  if (values.only !== "python") {
    const tarball = packJs(out);
    console.log(`TypeScript SDK: npm install ${resolve(tarball)}`);
    console.log(`  (${shown(tarball)}; ESM with types, Node 18+, Workers, browsers, Deno, Bun)`);
  }
  if (values.only !== "js") {
    const wheel = buildWheel(out);
    console.log(`Python SDK:     pip install ${resolve(wheel)}`);
    console.log(`  (${shown(wheel)}; Python 3.9+, no dependencies: installs with --no-index)`);
  }
}
