// The dashboard's one inline script (ui/index.html) runs only if the CSP in ui/public/_headers names its hash: a change
// to either without the other would silently drop the deep link's early trace read (the page would still work).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

it("allows ui/index.html's inline scripts by their sha256 and no other inline script", () => {
  const html = readFileSync("ui/index.html", "utf8");
  const headers = readFileSync("ui/public/_headers", "utf8");
  const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  expect(inline).toHaveLength(1);
  const csp = headers.match(/Content-Security-Policy: (.*)/)![1]!;
  const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src"))!;
  const hashes = inline.map((s) => `'sha256-${createHash("sha256").update(s).digest("base64")}'`);
  expect(scriptSrc.trim().split(/\s+/).sort()).toEqual(["script-src", "'self'", ...hashes].sort());
  expect(csp).not.toContain("unsafe-inline");
});
