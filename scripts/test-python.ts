// The Python SDK's tests (`npm run test:python`), lint (`npm run lint:python`: ruff and mypy --strict, configured in
// sdk/python/pyproject.toml) and benchmark (`npm run bench:python`): makes a git-ignored venv beside the package,
// installs pytest and openai (lint: ruff and mypy; bench: requests and tenacity, the baseline's) from the pip index and
// the package itself (built from sdk/python, as `pip install ./sdk/python` would), then runs pytest, the linters or the
// bench. Extra arguments go to pytest (e.g. `npm run test:python -- -k openai`). `setup` only makes the test venv (for
// the cross-way-in parity test, which drives the Python SDK from vitest).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = join(root, "sdk", "python");
const mode = (["bench", "lint", "setup"] as const).find((m) => m === process.argv[2]) ?? "test";
const bench = mode === "bench";
const venv = join(pkg, bench ? ".venv-bench" : ".venv");
const python = join(venv, "bin", "python");
const needs = {
  bench: ["requests", "tenacity"],
  lint: ["ruff", "mypy"],
  test: ["pytest", "openai"],
  setup: ["pytest", "openai"],
}[mode];

// PIP_RETRIES=0: an index this machine can't reach fails at once instead of after minutes of retries (the variable,
// unlike the flag, also reaches the pip that prepares the isolated build environment).
const pipEnv = { ...process.env, PIP_RETRIES: "0", PIP_DISABLE_PIP_VERSION_CHECK: "1" };

function run(command: string, args: string[], quiet = true) {
  const out = spawnSync(command, args, {
    cwd: root,
    env: pipEnv,
    stdio: ["ignore", quiet ? "pipe" : "inherit", quiet ? "pipe" : "inherit"],
  });
  if (out.status !== 0) {
    if (quiet) process.stderr.write(`${out.stdout}${out.stderr}`);
    throw new Error(`${command} ${args.join(" ")} exited with ${out.status ?? out.signal}`);
  }
}

const host = process.env.PYTHON ?? "python3";
const version = execFileSync(host, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"]).toString().trim();
if (Number(version.split(".")[1]) < 9) throw new Error(`Python >= 3.9 needed, ${host} is ${version}`);
if (!existsSync(python)) run(host, ["-m", "venv", venv]);
const pip = ["-m", "pip", "install", "--quiet"];
run(python, [...pip, ...needs]);
run(python, [...pip, "--force-reinstall", "--no-deps", pkg]);

if (mode === "setup") process.exit(0);
if (mode === "lint") {
  for (const tool of [["ruff", "check", "src", "tests"], ["mypy"]]) {
    const out = spawnSync(python, ["-m", ...tool], { cwd: pkg, stdio: "inherit" });
    if (out.status !== 0) process.exit(out.status ?? 1);
  }
  process.exit(0);
}

// The end-to-end test starts the Worker with this repo's Node (24, from node_modules) and wrangler.
const env = { ...process.env, PATH: `${join(root, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}` };
const args = bench ? [join(pkg, "bench", "bench.py")] : ["-m", "pytest", ...process.argv.slice(2)];
const result = spawnSync(python, args, { cwd: pkg, stdio: "inherit", env });
process.exit(result.status ?? 1);
