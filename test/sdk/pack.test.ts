// `npm run pack:sdk` makes SDK files a newcomer can install from a clone: the tarball installs with `npm install <file>`
// and imports (ESM, require on Node >= 20.19, types) on Node 20; the wheel installs with `pip install --no-index`.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildWheel, packJs } from "../../scripts/pack-sdk.ts";

const root = resolve(import.meta.dirname, "../..");
const work = mkdtempSync(join(tmpdir(), "watchllm-pack-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// The system's Node (20 on the machines this was written for), not the repo's Node 24 that runs npm scripts.
const node = ["/usr/bin/node", "/usr/local/bin/node"].find(existsSync) ?? process.execPath;
const python = process.env.PYTHON ?? "python3";
const hasPython = spawnSync(python, ["--version"]).status === 0;

describe("npm run pack:sdk", () => {
  it("makes a tarball that installs into an app and imports with types", () => {
    const tarball = packJs(join(work, "out"));
    const listing = execFileSync("tar", ["-tzf", tarball]).toString().split("\n");
    expect(listing).toContain("package/dist/index.js");
    expect(listing).toContain("package/dist/index.d.ts");
    expect(listing.some((f) => f.startsWith("package/src/"))).toBe(false);

    const app = join(work, "app");
    execFileSync("mkdir", ["-p", app]);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", tarball], { cwd: app, stdio: "pipe" });

    writeFileSync(
      join(app, "main.mjs"),
      `import { createClient, observeOpenAI } from "watchllm";
import { toUsage } from "watchllm/usage";
const client = createClient({ apiKey: "wl_ingest_x", baseUrl: "http://127.0.0.1:9" });
const trace = client.trace({ name: "pack" });
console.log(typeof observeOpenAI, typeof trace.id, trace.id.length > 0, toUsage({ prompt_tokens: 3, completion_tokens: 1 }).input_tokens);`,
    );
    expect(execFileSync(node, ["main.mjs"], { cwd: app }).toString().trim()).toBe("function string true 3");

    const [major = 0, minor = 0] = execFileSync(node, ["-p", "process.versions.node"])
      .toString()
      .split(".")
      .map(Number);
    if (major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19)) {
      writeFileSync(join(app, "main.cjs"), `console.log(typeof require("watchllm").createClient);`);
      expect(execFileSync(node, ["main.cjs"], { cwd: app }).toString().trim()).toBe("function");
    }

    writeFileSync(
      join(app, "typed.ts"),
      `import { createClient, type ClientOptions } from "watchllm";
const options: ClientOptions = { apiKey: "k" };
const id: string = createClient(options).trace({ name: "t" }).id;
export { id };`,
    );
    const compilerOptions = { noEmit: true, strict: true, module: "node16", lib: ["es2022", "dom"], types: [] };
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["typed.ts"] }));
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const typed = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: app });
    expect(`${typed.stdout}${typed.stderr}`).toBe("");
  }, 120_000);

  it.skipIf(!hasPython)(
    "makes a wheel that installs with pip --no-index",
    () => {
      const wheel = buildWheel(join(work, "wheel"), python);
      const venv = join(work, "venv");
      execFileSync(python, ["-m", "venv", venv]);
      const pip = spawnSync(join(venv, "bin", "python"), ["-m", "pip", "install", "--no-index", wheel], {
        env: { ...process.env, PIP_FIND_LINKS: "", PIP_EXTRA_INDEX_URL: "", PIP_CONSTRAINT: "" },
      });
      expect(pip.status, `${pip.stdout}${pip.stderr}`).toBe(0);
      const version = execFileSync(join(venv, "bin", "python"), ["-c", "import watchllm; print(watchllm.__version__)"]);
      expect(version.toString().trim()).toBe("0.1.0");
    },
    240_000,
  );
});
