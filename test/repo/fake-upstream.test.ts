// `npm run fake:upstream` (the stand-in for provider APIs the README offers to newcomers without a key): it prints
// where it listens and the variables to set, and answers what the `openai` client sends.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import { expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

it("starts, prints its URL and the variables to set, and answers a chat completion with usage", async () => {
  const child = spawn(process.execPath, ["scripts/fake-upstream.ts"], {
    cwd: root,
    env: { ...process.env, PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    let out = "";
    child.stdout.setEncoding("utf8");
    while (!out.includes("npm start")) {
      const [chunk] = (await Promise.race([once(child.stdout, "data"), once(child, "exit")])) as [string];
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${out}`);
      out += chunk;
    }
    const base = out.match(/on (http:\/\/127\.0\.0\.1:\d+\/v1)/)?.[1];
    expect(base).toBeDefined();
    expect(out).toContain(`OPENAI_BASE_URL=${base}`);
    expect(out).toContain(`OPENAI_UPSTREAM_URL=${base}`);
    const res = await fetch(`${base}/chat/completions`, {
      method: "POST",
      headers: { Authorization: "Bearer sk-any", "Content-Type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] }),
    });
    const answer = (await res.json()) as { choices: { message: { content: string } }[]; usage: unknown };
    expect(res.status).toBe(200);
    expect(answer.choices[0]!.message.content).toBe("Hello from the fake upstream.");
    expect(answer.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 7 });
  } finally {
    child.kill();
  }
});
