// `npm run setup:cloudflare`: self-hosting in one command. Creates on your Cloudflare account what wrangler.toml names
// and is missing (the D1 databases, the R2 bucket, the queue and its dead-letter queue), writes the databases' ids into
// wrangler.toml, applies the migrations to every database, builds the dashboard and deploys. Idempotent: a second run
// creates nothing and changes no id. Needs `npx wrangler login` (or CLOUDFLARE_API_TOKEN) first.
// Options: `--config <file>` (default wrangler.toml), `--skip-build` (dist/ui is current), `--no-deploy`.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { d1Bindings } from "./local-d1.ts";

const { values } = parseArgs({
  options: {
    config: { type: "string", default: "wrangler.toml" },
    "skip-build": { type: "boolean", default: false },
    "no-deploy": { type: "boolean", default: false },
  },
});
const config = values.config;
const step = (text: string) => console.log(`\x1b[36m›\x1b[0m ${text}`);

function wrangler(args: string[], quiet = true): string {
  return execFileSync("wrangler", [...args, "--config", config], {
    encoding: "utf8",
    stdio: ["ignore", quiet ? "pipe" : "inherit", "inherit"],
    env: { ...process.env, CI: "true" },
  });
}

/** The names the config declares: D1 database names, the R2 bucket, and every queue (producers, consumers, DLQs). */
function declared(toml: string) {
  const all = (re: RegExp) => [...new Set([...toml.matchAll(re)].map((m) => m[1]!))];
  return {
    databases: all(/^database_name\s*=\s*"([^"]+)"/gm),
    buckets: all(/^bucket_name\s*=\s*"([^"]+)"/gm),
    queues: all(/^(?:queue|dead_letter_queue)\s*=\s*"([^"]+)"/gm),
  };
}

/** Whether `name` appears as a whole word in a listing (wrangler's tables and `name:` lines). */
const listed = (listing: string, name: string) =>
  new RegExp(`(^|[\\s│|:"])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[\\s│|,"])`, "m").test(listing);

/** The config with each database's id written into every [[d1_databases]] block that names it. */
function writeDatabaseIds(toml: string, ids: Record<string, string>): string {
  return toml
    .split("[[d1_databases]]")
    .map((block, i) => {
      const name = block.match(/^database_name\s*=\s*"([^"]+)"/m)?.[1];
      if (i === 0 || !name || !ids[name]) return block;
      return block.replace(/^database_id\s*=\s*"[^"]*"/m, `database_id = "${ids[name]}"`);
    })
    .join("[[d1_databases]]");
}

const toml = readFileSync(config, "utf8");
const want = declared(toml);

step("D1 databases");
const d1 = () => JSON.parse(wrangler(["d1", "list", "--json"])) as Array<{ uuid: string; name: string }>;
let databases = d1();
for (const name of want.databases) {
  if (databases.some((d) => d.name === name)) continue;
  console.log(`  creating ${name}`);
  wrangler(["d1", "create", name]);
  databases = d1();
}
const ids = Object.fromEntries(databases.filter((d) => want.databases.includes(d.name)).map((d) => [d.name, d.uuid]));
const missing = want.databases.filter((name) => !ids[name]);
if (missing.length) throw new Error(`wrangler d1 list does not show ${missing.join(", ")} after creating them`);
const updated = writeDatabaseIds(toml, ids);
if (updated !== toml) {
  writeFileSync(config, updated);
  console.log(`  wrote their ids into ${config}`);
}

step("R2 bucket");
const buckets = wrangler(["r2", "bucket", "list"]);
for (const name of want.buckets) {
  if (listed(buckets, name)) continue;
  console.log(`  creating ${name}`);
  wrangler(["r2", "bucket", "create", name]);
}

step("Queues");
const queues = wrangler(["queues", "list"]);
for (const name of want.queues) {
  if (listed(queues, name)) continue;
  console.log(`  creating ${name}`);
  wrangler(["queues", "create", name]);
}

step("Migrations (every database)");
for (const binding of d1Bindings(config)) wrangler(["d1", "migrations", "apply", binding, "--remote"], false);

if (!values["no-deploy"]) {
  if (!values["skip-build"]) {
    step("Building the dashboard");
    execFileSync("vite", ["build", "--logLevel", "warn"], { stdio: "inherit" });
  }
  step("Deploying");
  wrangler(["deploy"], false);
}
console.log(
  "\nDone. Open your Worker's URL (printed above), sign up (the first user is the admin) and invite your team.",
);
