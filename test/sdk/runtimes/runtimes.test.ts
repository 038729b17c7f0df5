// The SDK in Deno and Bun (the real binaries of the `deno` and `bun` packages): driver.ts runs the delivery scenarios
// against the fault server in each runtime; this checks what the server received. Node-only (it spawns processes).
import { execFile, execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { tenant } from "../helpers.ts";

type Result = { scenario: string; sent: number; queuedAfterFirstFlush?: number; errors: string[] };
type Tenant = Awaited<ReturnType<typeof tenant>>;

const bin = (name: string) => fileURLToPath(new URL(`../../../node_modules/.bin/${name}`, import.meta.url));
const driver = fileURLToPath(new URL("./driver.ts", import.meta.url));
const runtimes = [
  { name: "Deno", command: bin("deno"), args: ["run", "--allow-net=127.0.0.1", driver] },
  { name: "Bun", command: bin("bun"), args: ["run", driver] },
].map((r) => ({
  ...r,
  version: execFileSync(r.command, ["--version"], { encoding: "utf8" })
    .split("\n")[0]!
    .replace(/\s*\(.*/, ""),
}));

describe.each(runtimes)("SDK delivery in $name ($version)", ({ command, args }) => {
  const results: Record<string, Result> = {};
  const tenants: Record<string, Tenant> = {};

  beforeAll(async () => {
    tenants.batches = await tenant();
    tenants.faults = await tenant({ error500: 0.15, dropBefore: 0.1, dropAfter: 0.1, hang: 0.05 });
    tenants.outage = await tenant();
    tenants["retry-after"] = await tenant({ tooMany: 1, retryAfterSeconds: 1 });
    tenants.streams = await tenant();
    const { stdout } = await promisify(execFile)(
      command,
      [...args, ...Object.entries(tenants).map(([scenario, t]) => `${scenario}=${t.base}`)],
      { timeout: 90_000, env: { ...process.env, NO_COLOR: "1" } },
    );
    for (const line of stdout.trim().split("\n")) {
      const result = JSON.parse(line) as Result;
      results[result.scenario] = result;
    }
  }, 120_000);

  const received = (scenario: string) => tenants[scenario]!.received();

  it("delivers every event once, in batches of flushAt", async () => {
    const { counts, requests } = await received("batches");
    expect(Object.keys(counts)).toHaveLength(results.batches!.sent);
    expect(Object.values(counts).every((c) => c === 1)).toBe(true);
    expect(requests).toHaveLength(3);
    expect(results.batches!.errors).toEqual([]);
  });

  it("loses nothing under random 500s, dropped connections, lost acks and hangs", async () => {
    const { counts, statuses } = await received("faults");
    expect(Object.keys(counts)).toHaveLength(results.faults!.sent);
    expect(statuses.some((s) => s !== "202")).toBe(true); // the faults really happened
    // Duplicates only where an ack was lost (the server stored the batch, then dropped the connection).
    const duplicated = Object.values(counts).filter((c) => c > 1).length;
    expect(duplicated === 0 || statuses.includes("stored-then-dropped")).toBe(true);
  });

  it("keeps events through an outage and sends them afterwards", async () => {
    const { sent, queuedAfterFirstFlush, errors } = results.outage!;
    expect(queuedAfterFirstFlush).toBe(sent); // given back to the queue, not lost
    expect(errors).toContain("network");
    expect(Object.keys((await received("outage")).counts)).toHaveLength(sent);
  });

  it("waits as long as Retry-After says on 429", async () => {
    const { requests, counts } = await received("retry-after");
    expect(requests).toHaveLength(2);
    expect(requests[1]! - requests[0]!).toBeGreaterThanOrEqual(950);
    expect(Object.keys(counts)).toHaveLength(1);
  });

  it("records observeFetch streams: one read to the end, one cancelled as aborted", async () => {
    const { events } = await received("streams");
    expect(events.map((e) => [e.type, e.model, e.status])).toEqual([
      ["model_response", "gpt-4o-mini-2024-07-18", "ok"],
      ["model_response", "slow-2024-07-18", "error"],
    ]);
    expect(events[0]).toMatchObject({ provider: "openai", usage: { input_tokens: 12, cached_input_tokens: 4 } });
    expect(events[1]!.body).toMatchObject({ metadata: { error: "aborted" } });
  });
});
