// The signature verification snippets of docs/alerts.md (JavaScript and Python), taken from the doc as written, accept
// what the Worker signs (src/alerts/payload.ts) and refuse a changed body, another secret and an old timestamp.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { signature } from "../../src/alerts/payload.ts";

const doc = readFileSync("docs/alerts.md", "utf8");
const block = (lang: string, marker: string) => {
  const found = [...doc.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, "g"))].find((m) =>
    m[1]!.includes(marker),
  );
  if (!found) throw new Error(`docs/alerts.md has no ${lang} block with ${marker}`);
  return found[1]!;
};

const secret = "whsec_TestSecretForTheDocsSnippets0";
const body = JSON.stringify({ delivery_id: "dlv_1", state: "firing", value: 7.25, group: { user_id: "ü-1" } });
const now = Math.floor(Date.now() / 1000);

type Case = [string, string, string, boolean];
const cases = async (): Promise<Case[]> => [
  ["as signed", await signature(secret, body, now), body, true],
  ["body changed", await signature(secret, body, now), body.replace("7.25", "0.25"), false],
  ["another secret", await signature("whsec_other", body, now), body, false],
  ["ten minutes old", await signature(secret, body, now - 600), body, false],
];

describe("docs/alerts.md signature snippets", () => {
  it("JavaScript: verifies the Worker's signatures", async () => {
    const source = block("js", "verifyWatchLLMSignature");
    const verify = new Function(`${source}; return verifyWatchLLMSignature;`)() as (
      s: string,
      h: string,
      b: string,
    ) => Promise<boolean>;
    for (const [what, header, raw, ok] of await cases()) expect(await verify(secret, header, raw), what).toBe(ok);
  });

  it("Python: verifies the Worker's signatures", async () => {
    const source = block("python", "verify_watchllm_signature");
    const checks = (await cases()).map(([what, header, raw, ok]) => ({ what, header, raw, ok }));
    const program = `${source}
import json, sys
for c in json.loads(sys.stdin.read()):
    print(c["what"], verify_watchllm_signature("${secret}", c["header"], c["raw"].encode()) == c["ok"])
`;
    const run = spawnSync("python3", ["-c", program], { input: JSON.stringify(checks), encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout.trim().split("\n")).toEqual(checks.map((c) => `${c.what} True`));
  });
});
