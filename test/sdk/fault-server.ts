// A local stand-in for the ingest endpoint that misbehaves on request: random 500s, dropped connections (before or
// after storing the batch), hangs, 429 with Retry-After, full outages. It keeps every event it stores (first copy) and counts each event_id. Each test
// uses its own tenant prefix (`/t/<name>`), so tests can run side by side. Also serves a fake OpenAI upstream at
// `/t/<name>/v1/...` (the tests' one fake upstream, test/support/fake-upstream.ts).
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { type IngestAnswer, providerOfEvent, type WireEvent, wireEvent } from "../../contract/event.ts";
import { fakeUpstreamHandler } from "../support/fake-upstream.ts";

export type Faults = {
  /** Probabilities per request. */
  error500?: number;
  dropBefore?: number;
  dropAfter?: number;
  hang?: number;
  tooMany?: number;
  retryAfterSeconds?: number;
  /** Epoch ms until which every request's connection is reset. */
  outageUntil?: number;
};

type Tenant = {
  faults: Faults;
  counts: Map<string, number>;
  events: Map<string, WireEvent>;
  requests: number[];
  statuses: string[];
};

function readBody(req: IncomingMessage) {
  return new Promise<string>((resolve) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => resolve(data));
  });
}

export async function startFaultServer(port = 0) {
  const tenants = new Map<string, Tenant>();
  const upstream = fakeUpstreamHandler();
  const tenant = (name: string) => {
    let t = tenants.get(name);
    if (!t) {
      t = { faults: {}, counts: new Map(), events: new Map(), requests: [], statuses: [] };
      tenants.set(name, t);
    }
    return t;
  };
  const server = createServer(async (req, res) => {
    const match = req.url?.match(/^\/t\/([^/]+)(\/[^?]*)/);
    if (!match) return void res.writeHead(404).end();
    const t = tenant(match[1]!);
    const path = match[2]!;
    const body = await readBody(req);
    if (path === "/__faults") {
      t.faults = JSON.parse(body) as Faults;
      return void res.writeHead(204).end();
    }
    if (path === "/__received") {
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(
        JSON.stringify({
          counts: Object.fromEntries(t.counts),
          events: [...t.events.values()],
          requests: t.requests,
          statuses: t.statuses,
        }),
      );
    }
    if (path.startsWith("/v1/") && (await upstream.handle(req, res, path, Buffer.from(body)))) return;
    if (path !== "/api/v1/events") return void res.writeHead(404).end();
    t.requests.push(Date.now());
    const f = t.faults;
    const roll = (p = 0) => Math.random() < p;
    const fail = (status: string) => void t.statuses.push(status);
    if ((f.outageUntil ?? 0) > Date.now() || roll(f.dropBefore)) {
      fail("dropped");
      return void req.socket.destroy();
    }
    if (roll(f.hang)) return fail("hang"); // never answers; the client's timeout aborts
    if (roll(f.error500)) {
      fail("500");
      return void res.writeHead(500, { "content-type": "application/json" }).end('{"error":{"code":"internal_error"}}');
    }
    if (roll(f.tooMany)) {
      fail("429");
      return void res
        .writeHead(429, { "Retry-After": String(f.retryAfterSeconds ?? 1), "content-type": "application/json" })
        .end('{"error":{"code":"rate_limited"}}');
    }
    if (req.headers.authorization !== "Bearer wl_ingest_test") {
      fail("401");
      return void res
        .writeHead(401, { "content-type": "application/json" })
        .end(
          '{"error":{"code":"invalid_api_key","message":"The API key is not valid: check the key, and the URL it is sent to (baseUrl in the SDKs)."}}',
        );
    }
    const events = (JSON.parse(body) as { events: Array<{ event_id?: string; type?: string }> }).events;
    // Events are checked with the contract's own schema, as the real ingest route checks them, and kept as it
    // stores them (a provider's usage mapped to WatchLLM's, the provider named from the API host).
    const parsed = events.map((e) => wireEvent.safeParse(e));
    const rejected: IngestAnswer["rejected"] = parsed.flatMap((p, index) =>
      p.success
        ? []
        : [
            {
              index,
              event_id: events[index]!.event_id ?? null,
              code: "invalid_event" as const,
              message: p.error.message,
            },
          ],
    );
    const accepted = parsed.flatMap((p) => (p.success ? [{ ...p.data, provider: providerOfEvent(p.data) }] : []));
    if (!accepted.length) {
      fail("400");
      return void res.writeHead(400, { "content-type": "application/json" }).end(
        JSON.stringify({
          error: {
            code: "invalid_request",
            message: `No event in the batch is valid (first: ${rejected[0]?.message}).`,
            details: { rejected },
          },
        }),
      );
    }
    for (const e of accepted) {
      t.counts.set(e.event_id, (t.counts.get(e.event_id) ?? 0) + 1);
      if (!t.events.has(e.event_id)) t.events.set(e.event_id, e);
    }
    if (roll(f.dropAfter)) {
      fail("stored-then-dropped");
      return void req.socket.destroy();
    }
    t.statuses.push("202");
    res
      .writeHead(202, { "content-type": "application/json" })
      .end(JSON.stringify({ accepted: accepted.length, rejected }));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
