// `npm run db:migrate [-- --remote]`: applies migrations/ to every D1 database in wrangler.toml — the control plane and
// each data database (DATA_1, DATA_2 …; DATA_0 is the control-plane database). Locally by default.
import { execFileSync } from "node:child_process";
import { d1Bindings, WRANGLER_ENV } from "./local-d1.ts";

const where = process.argv.includes("--remote") ? "--remote" : "--local";
for (const binding of d1Bindings()) {
  console.log(`› ${binding} (${where.slice(2)})`);
  execFileSync("wrangler", ["d1", "migrations", "apply", binding, where], {
    stdio: "inherit",
    env: { ...process.env, ...WRANGLER_ENV, CI: "true" },
  });
}
