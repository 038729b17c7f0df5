// `npm run db:migrate [-- --remote]`: applies migrations/ to every D1 database in wrangler.toml — the control plane and
// each data database (DATA_1, DATA_2 …; DATA_0 is the control-plane database). Locally by default, where the
// background jobs a migration queues that reshape a table (0029's `events_rekey`) are run to their end at once; remote
// databases leave them to the Cron's maintenance runs (every 5 minutes).
import { execFileSync } from "node:child_process";
import { finishRekeyIn } from "./finish-rekey.ts";
import { d1Bindings, localD1Files, WRANGLER_ENV } from "./local-d1.ts";

const where = process.argv.includes("--remote") ? "--remote" : "--local";
for (const binding of d1Bindings()) {
  console.log(`› ${binding} (${where.slice(2)})`);
  execFileSync("wrangler", ["d1", "migrations", "apply", binding, where], {
    stdio: "inherit",
    env: { ...process.env, ...WRANGLER_ENV, CI: "true" },
  });
}
if (where === "--local") finishRekeyIn(Object.values(localD1Files(".wrangler/state")));
