// `npm run setup:cloudflare` against a stand-in `wrangler` on PATH that keeps a fake account's resources and records
// every command: the first run creates what is missing, writes the ids, migrates every database and deploys; the
// second creates nothing and leaves wrangler.toml as it was.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "watchllm-setup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The stand-in: an account in account.json (one D1 and one queue exist already), each call appended to calls.log.
const STAND_IN = `#!/usr/bin/env node
const fs = require("fs"), path = require("path");
const dir = ${JSON.stringify(dir)};
const file = path.join(dir, "account.json");
const account = JSON.parse(fs.readFileSync(file, "utf8"));
const args = process.argv.slice(2);
fs.appendFileSync(path.join(dir, "calls.log"), args.join(" ") + "\\n");
const [a, b, c, d] = args;
const save = () => fs.writeFileSync(file, JSON.stringify(account));
if (a === "d1" && b === "list") console.log(JSON.stringify(account.d1));
else if (a === "d1" && b === "create") { account.d1.push({ uuid: "uuid-" + c, name: c }); save(); console.log("Created " + c); }
else if (a === "r2" && b === "bucket" && c === "list") for (const n of account.r2) console.log("name:           " + n + "\\ncreation_date:  2026-01-01");
else if (a === "r2" && b === "bucket" && c === "create") { account.r2.push(d); save(); }
else if (a === "queues" && b === "list") console.log("│ id │ name │\\n" + account.queues.map((q) => "│ q-" + q + " │ " + q + " │").join("\\n"));
else if (a === "queues" && b === "create") { account.queues.push(c); save(); }
`;

function run() {
  const bin = join(dir, "bin");
  return execFileSync(
    process.execPath,
    [join(root, "scripts/setup-cloudflare.ts"), "--config", join(dir, "wrangler.toml"), "--skip-build"],
    { cwd: root, encoding: "utf8", env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}` } },
  );
}
const calls = () => readFileSync(join(dir, "calls.log"), "utf8").trim().split("\n");

describe("npm run setup:cloudflare", () => {
  it("creates what is missing, writes the ids, migrates each database once and deploys; then again changes nothing", () => {
    mkdirSync(join(dir, "bin"));
    writeFileSync(join(dir, "bin", "wrangler"), STAND_IN);
    chmodSync(join(dir, "bin", "wrangler"), 0o755);
    writeFileSync(
      join(dir, "account.json"),
      JSON.stringify({
        d1: [{ uuid: "existing-data-1", name: "watchllm-data-1" }],
        r2: [],
        queues: ["watchllm-events"],
      }),
    );
    copyFileSync(join(root, "wrangler.toml"), join(dir, "wrangler.toml"));

    run();
    const config = `--config ${join(dir, "wrangler.toml")}`;
    expect(calls()).toEqual([
      `d1 list --json ${config}`,
      `d1 create watchllm ${config}`,
      `d1 list --json ${config}`,
      `r2 bucket list ${config}`,
      `r2 bucket create watchllm-bodies ${config}`,
      `queues list ${config}`,
      `queues create watchllm-events-dlq ${config}`,
      `queues create watchllm-events-bulk ${config}`,
      `queues create watchllm-alerts ${config}`,
      `d1 migrations apply DB --remote ${config}`,
      `d1 migrations apply DATA_1 --remote ${config}`,
      `deploy ${config}`,
    ]);
    const toml = readFileSync(join(dir, "wrangler.toml"), "utf8");
    const ids = [...toml.matchAll(/^database_id = "([^"]+)"/gm)].map((m) => m[1]);
    expect(ids).toEqual(["uuid-watchllm", "uuid-watchllm", "existing-data-1"]);
    // Only the ids changed.
    const original = readFileSync(join(root, "wrangler.toml"), "utf8");
    expect(toml.replace(/^database_id = .*$/gm, "")).toBe(original.replace(/^database_id = .*$/gm, ""));

    writeFileSync(join(dir, "calls.log"), "");
    run();
    expect(calls().filter((c) => /create/.test(c))).toEqual([]);
    expect(calls()).toContain(`deploy ${config}`);
    expect(readFileSync(join(dir, "wrangler.toml"), "utf8")).toBe(toml);
  }, 120_000);
});
