// A local webhook receiver for the alert tests (Node, 127.0.0.1): it keeps every request it gets, by path, and answers
// `/flaky/<n>/…` with 500 for the first n requests to that path, `/slow/…` after 15 s, anything else with 200.
import { createServer, type IncomingHttpHeaders } from "node:http";

export type Received = { path: string; headers: IncomingHttpHeaders; body: string; status: number };

export async function startReceiver() {
  const log: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      if (req.method === "GET" && path.startsWith("/log")) {
        const prefix = new URL(path, "http://x").searchParams.get("path") ?? "";
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify(log.filter((r) => r.path.startsWith(prefix))));
        return;
      }
      const flaky = path.match(/^\/flaky\/(\d+)\//);
      const before = log.filter((r) => r.path === path).length;
      const status = flaky && before < Number(flaky[1]) ? 500 : 200;
      log.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), status });
      const answer = () => {
        res.writeHead(status, { "Content-Type": "text/plain" });
        res.end(status === 200 ? `ok ${"x".repeat(2000)}` : "receiver down");
      };
      if (path.startsWith("/slow/")) setTimeout(answer, 15_000).unref();
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
