// The dashboard's one inline script (ui/index.html, served minified) runs only if the CSP in ui/public/_headers names
// its hash: a change to either without the other would silently drop the deep link's early trace read (the page would
// still work).
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { cspHash, servedScript } from "../../scripts/inline-script.ts";

it("allows ui/index.html's inline scripts by their sha256 and no other inline script", () => {
  const html = readFileSync("ui/index.html", "utf8");
  const headers = readFileSync("ui/public/_headers", "utf8");
  const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  expect(inline).toHaveLength(1);
  const csp = headers.match(/Content-Security-Policy: (.*)/)![1]!;
  const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src"))!;
  // As served: minified at build (vite.config.ts), which checks the same.
  const hashes = inline.map((s) => cspHash(servedScript(s)));
  expect(scriptSrc.trim().split(/\s+/).sort()).toEqual(["script-src", "'self'", ...hashes].sort());
  expect(csp).not.toContain("unsafe-inline");
});
