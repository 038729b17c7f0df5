// `npm run org:plan -- <org id or name> <plan | none> [--remote] [--persist-to <dir>]`: puts an org on a plan (a key
// of the PLANS var, docs/usage.md), or back on the default with `none`. It runs SQL on the control plane through
// `wrangler d1 execute` (local state by default, the deployed database with --remote). Running instances pick the
// change up within QUOTA_CACHE_SECONDS.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { literal, WRANGLER_ENV } from "./local-d1.ts";

const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const persistTo = option("--persist-to");
const [org, plan] = args.filter((a, i) => !a.startsWith("--") && args[i - 1] !== "--persist-to");
const remote = args.includes("--remote");

function fail(message: string): never {
  console.error(`org:plan: ${message}`);
  process.exit(1);
}
if (!org || !plan) fail("usage: npm run org:plan -- <org id or name> <plan | none> [--remote] [--persist-to <dir>]");

/** The plans wrangler.toml defines (a deployment may set PLANS elsewhere, e.g. in the dashboard: then only warn). */
function configuredPlans(): string[] | null {
  const line = readFileSync("wrangler.toml", "utf8").match(/^PLANS\s*=\s*(?:'([^']*)'|"((?:[^"\\]|\\.)*)")\s*$/m);
  if (!line) return null;
  try {
    return Object.keys(JSON.parse(line[1] ?? JSON.parse(`"${line[2]}"`)) as Record<string, unknown>);
  } catch {
    return null;
  }
}

function query<T>(sql: string): T[] {
  const where = remote ? ["--remote"] : ["--local", ...(persistTo ? ["--persist-to", persistTo] : [])];
  const out = execFileSync("wrangler", ["d1", "execute", "DB", ...where, "--json", "--command", sql], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...WRANGLER_ENV, CI: "true" },
  }).toString();
  return (JSON.parse(out) as Array<{ results: T[] }>)[0]?.results ?? [];
}

const value = plan === "none" ? null : plan;
const known = configuredPlans();
if (value !== null && known && !known.includes(value)) {
  console.warn(`org:plan: wrangler.toml's PLANS has no "${value}" (it has: ${known.join(", ") || "none"}).`);
  console.warn("         An org on an undefined plan is not limited; define the plan where this instance reads PLANS.");
}
type Org = { id: string; name: string; plan: string | null };
const found = query<Org>(`SELECT id, name, plan FROM orgs WHERE id = ${literal(org)} OR name = ${literal(org)}`);
if (!found.length) fail(`no org with id or name ${org}`);
if (found.length > 1) fail(`${found.length} orgs are named ${org}; give the id: ${found.map((o) => o.id).join(", ")}`);
const target = found[0]!;
query(`UPDATE orgs SET plan = ${value === null ? "NULL" : literal(value)} WHERE id = ${literal(target.id)}`);
console.log(`${target.name} (${target.id}): plan ${target.plan ?? "(default)"} → ${value ?? "(default)"}`);
