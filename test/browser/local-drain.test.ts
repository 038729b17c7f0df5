// `npm start`'s Ctrl-C: the local queue lives in wrangler's memory, so stopping waits until every event the ingest
// route acknowledged is written — a restart on the same state finds them all.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startDevServer } from "../../scripts/dev-server.ts";
import { migratedState } from "../../scripts/local-d1.ts";

describe("stopping a local instance", () => {
  let state = "";
  // Migrating three local databases with wrangler takes 20–60 s on a busy machine (once per run: the other scratch
  // instances copy the same template): outside the test's own time.
  beforeAll(() => {
    state = migratedState("drain");
  }, 180_000);
  afterAll(() => rmSync(state, { recursive: true, force: true }));

  it("writes the events still on the in-memory queue before it stops", async () => {
    const opts = { port: await freePort(), persistTo: state, quiet: true, vars: { SIGNUP_MODE: "open" } };
    let server = await startDevServer(opts);
    const res = await fetch(`${server.base}/api/auth/signup`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: server.base },
      body: JSON.stringify({ email: "drain@example.com", password: "correct horse battery", name: "D" }),
    });
    const { keys } = (await res.json()) as { keys: { ingest: string; secret: string } };
    const events = Array.from({ length: 500 }, (_, i) => ({
      event_id: `drain-${i}`,
      trace_id: `drain-${i % 50}`,
      type: "log",
      name: "queued",
      timestamp: 1_764_000_000_000 + i,
    }));
    const sent = await fetch(`${server.base}/api/v1/events`, {
      method: "POST",
      headers: { Authorization: `Bearer ${keys.ingest}`, "Content-Type": "application/json" },
      body: JSON.stringify({ events }),
    });
    expect(await sent.json()).toEqual({ accepted: 500, rejected: [] });
    // Stop at once, as a Ctrl-C right after sending would.
    expect(await server.stop({ drain: true })).toEqual({ drained: true, backlog: 0 });

    server = await startDevServer(opts);
    try {
      const list = await fetch(`${server.base}/api/v1/traces?limit=200`, {
        headers: { Authorization: `Bearer ${keys.secret}` },
      });
      const { traces } = (await list.json()) as { traces: Array<{ span_count: number }> };
      expect(traces).toHaveLength(50);
      expect(traces.reduce((n, t) => n + t.span_count, 0)).toBe(500);
    } finally {
      await server.stop();
    }
  });
});
