// The dashboard served as production serves it, for `bench:ui`: its files (dist/ui, with ui/public/_headers' headers
// and the single-page fallback) from this process, beside the Worker rather than behind it, and /api/* passed to the
// Worker under `wrangler dev`. Workers Assets answers a page's files at the edge without running the Worker; under
// `wrangler dev` they are answered by the same workerd thread that runs the Worker's D1 reads, so every file of a
// page waits for the trace's read (and the read for them), a queue production doesn't have.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { extname, join, normalize } from "node:path";
import { freePort } from "../scripts/dev-server.ts";

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
};

/**
 * A `_headers` file's rules as Workers Assets applies them: each block's path pattern (`:name` placeholders match one
 * segment, one `*` splat the rest), its headers with the matched values put in for `:name` and `:splat`. Headers of
 * every matching block apply, two values of one name joined by a comma.
 */
function headerRules(file: string) {
  const rules: Array<{ pattern: RegExp; headers: Array<[string, string]> }> = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.startsWith("#") || !line.trim()) continue;
    if (!line.startsWith(" ")) {
      const source = line.trim().replace(/[.+?^${}()|[\]\\]/g, "\\$&");
      const pattern = source.replace(/:(\w+)/g, "(?<$1>[^/]+)").replace("*", "(?<splat>.*)");
      rules.push({ pattern: new RegExp(`^${pattern}$`), headers: [] });
    } else {
      const at = line.indexOf(":");
      rules.at(-1)?.headers.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
    }
  }
  return (path: string) => {
    const out: Record<string, string> = {};
    for (const { pattern, headers } of rules) {
      const found = pattern.exec(path);
      if (!found) continue;
      for (const [name, value] of headers) {
        const filled = value.replace(/:(\w+)/g, (all, key: string) => found.groups?.[key] ?? all);
        out[name] = out[name] ? `${out[name]}, ${filled}` : filled;
      }
    }
    return out;
  };
}

/** Serves `root` (a built dashboard) and forwards /api/* to `worker`; `stop` closes it. */
export async function startAssetsFront(root: string, worker: string) {
  const headersOf = headerRules(join(root, "_headers"));
  const files = new Map<string, Buffer>();
  const read = (path: string) => {
    if (!files.has(path)) files.set(path, readFileSync(path));
    return files.get(path)!;
  };
  const serveFile = (req: IncomingMessage, res: ServerResponse) => {
    const { pathname } = new URL(req.url!, "http://x");
    const path = normalize(decodeURIComponent(pathname));
    let file = join(root, path);
    let body: Buffer;
    try {
      body = read(file);
    } catch {
      file = join(root, "index.html");
      body = read(file);
    }
    res.writeHead(200, { ...headersOf(pathname), "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(body);
  };
  const forward = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const answer = await fetch(worker + req.url, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) =>
        k === "host" || v === undefined ? [] : [[k, String(v)] as [string, string]],
      ),
      body: chunks.length ? Buffer.concat(chunks) : undefined,
      redirect: "manual",
    });
    const out: Record<string, string | string[]> = {};
    answer.headers.forEach((v, k) => {
      if (k !== "content-encoding" && k !== "content-length" && k !== "transfer-encoding") out[k] = v;
    });
    const cookies = answer.headers.getSetCookie();
    if (cookies.length) out["set-cookie"] = cookies;
    res.writeHead(answer.status, out);
    res.end(Buffer.from(await answer.arrayBuffer()));
  };
  const server = createServer((req, res) => {
    if (req.url!.startsWith("/api/")) forward(req, res).catch(() => res.destroy());
    else serveFile(req, res);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A page's init script (`context.addInitScript(watchFirstRows)`): `window.firstRows` resolves to the time of the first
 * frame painted after the first trace rows are in the document (a message posted in that frame's animation callback
 * arrives after its paint), with marks on the way ("boot gone", "shell", "rows in DOM") for bench/ui-boot.ts.
 */
export function watchFirstRows() {
  (window as { firstRows?: Promise<number> }).firstRows = new Promise((resolve) => {
    const seen = new MutationObserver(() => {
      if (!document.querySelector(".boot") && !performance.getEntriesByName("boot gone").length)
        if (document.querySelector("#app > *")) performance.mark("boot gone");
      if (document.querySelector(".shell, header, nav") && !performance.getEntriesByName("shell").length)
        performance.mark("shell");
      if (!document.querySelector("[data-event]")) return;
      seen.disconnect();
      performance.mark("rows in DOM");
      requestAnimationFrame(() => {
        const after = new MessageChannel();
        after.port1.onmessage = () => resolve(performance.now());
        after.port2.postMessage(null);
      });
    });
    seen.observe(document, { subtree: true, childList: true });
  });
}
