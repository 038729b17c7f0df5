// Per-test tenants on the fault server, and a client wired to one with test-sized timings.
import { inject } from "vitest";
import { type ClientOptions, createClient, type WatchLLMError, type WireEvent } from "../../sdk/js/src/index.ts";
import { waitFor } from "../support/wait.ts";
import type { Faults } from "./fault-server.ts";

let n = 0;

/** Resolves once `done()` holds, checking every few milliseconds; fails after `timeoutMs`. */
export const until = (done: () => boolean | Promise<boolean>, timeoutMs = 10_000) =>
  waitFor(done, Boolean, { timeoutMs, everyMs: 10 });

export async function tenant(faults: Faults = {}) {
  const base = `${inject("faultServer")}/t/${Date.now().toString(36)}-${++n}-${Math.random().toString(36).slice(2, 8)}`;
  await fetch(`${base}/__faults`, { method: "POST", body: JSON.stringify(faults) });
  const errors: WatchLLMError[] = [];
  return {
    base,
    errors,
    setFaults: (f: Faults) => fetch(`${base}/__faults`, { method: "POST", body: JSON.stringify(f) }),
    received: async () =>
      (await (await fetch(`${base}/__received`)).json()) as {
        counts: Record<string, number>;
        events: WireEvent[];
        requests: number[];
        statuses: string[];
      },
    client: (options: ClientOptions = {}) =>
      createClient({
        apiKey: "wl_ingest_test",
        baseUrl: base,
        flushIntervalMs: 50,
        timeoutMs: 300,
        backoffMs: 20,
        onError: (e) => errors.push(e),
        ...options,
      }),
  };
}

/** Flushes `client` until the tenant's server holds at least `n` events; returns them in arrival order. */
export async function receivedEvents(
  t: Awaited<ReturnType<typeof tenant>>,
  client: { flush(): Promise<void> },
  n: number,
) {
  let events: WireEvent[] = [];
  await until(async () => {
    await client.flush();
    events = (await t.received()).events;
    return events.length >= n;
  });
  return events;
}
