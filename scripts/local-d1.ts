// Helpers for scripts that prepare the local D1 database through wrangler (the same state `wrangler dev` uses).
import { execFileSync } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finishRekeyIn } from "./finish-rekey.ts";

/** Quiet, local, offline: no metrics, no update check, no cf.json download. */
export const WRANGLER_ENV = { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

const wrangler = (args: string[]) =>
  execFileSync("wrangler", args, {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...WRANGLER_ENV, CI: "true" },
  }).toString();

/**
 * The D1 bindings of a wrangler config, one per database (DATA_0 is the control-plane database itself, so it is
 * listed once, as DB).
 */
export function d1Bindings(config = "wrangler.toml"): string[] {
  const first = new Map<string, string>();
  for (const [binding, id] of Object.entries(d1DatabaseIds(config))) if (!first.has(id)) first.set(id, binding);
  return [...first.values()];
}

/** Every D1 binding of a wrangler config and its database id (DATA_0 shares the control plane's). */
export function d1DatabaseIds(config = "wrangler.toml"): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const block of readFileSync(config, "utf8").split("[[d1_databases]]").slice(1)) {
    const binding = block.match(/binding\s*=\s*"([^"]+)"/)?.[1];
    if (binding) ids[binding] = block.match(/database_id\s*=\s*"([^"]+)"/)?.[1] ?? binding;
  }
  return ids;
}

/**
 * The SQLite file behind each D1 binding in a local state folder. Miniflare keeps a database as the Durable Object
 * named by its database id, in a file named by that object's id (workerd's idFromName: HMACs keyed by the SHA-256
 * of the namespace's unique key).
 */
export function localD1Files(persistTo: string, config = "wrangler.toml"): Record<string, string> {
  const key = createHash("sha256").update("miniflare-D1DatabaseObject").digest();
  const objectId = (name: string) => {
    const nameHmac = createHmac("sha256", key).update(name).digest().subarray(0, 16);
    const check = createHmac("sha256", key).update(nameHmac).digest().subarray(0, 16);
    return Buffer.concat([nameHmac, check]).toString("hex");
  };
  return Object.fromEntries(
    Object.entries(d1DatabaseIds(config)).map(([binding, id]) => [
      binding,
      join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject", `${objectId(id)}.sqlite`),
    ]),
  );
}

/** Where the local state lives (benchmarks use a scratch folder) and which wrangler config names the database. */
export type LocalTarget = { persistTo?: string; config?: string };

const target = ({ persistTo, config }: LocalTarget = {}) => [
  ...(persistTo ? ["--persist-to", persistTo] : []),
  ...(config ? ["--config", config] : []),
];

/**
 * Applies the migrations to every database of the config (the control plane and each data database), then finishes
 * the background jobs a fresh database should not wait for (scripts/finish-rekey.ts).
 */
export function applyMigrations(where?: LocalTarget) {
  for (const binding of d1Bindings(where?.config)) {
    wrangler(["d1", "migrations", "apply", binding, "--local", ...target(where)]);
  }
  finishRekeyIn(Object.values(localD1Files(where?.persistTo ?? ".wrangler/state", where?.config)));
}

/**
 * A new state folder in the temp folder whose databases hold every migration. Migrating with wrangler costs a CLI run
 * per database (20–60 s on a busy machine), so the first call migrates a template, named by the migrations' text and
 * the config's databases, and every call copies it.
 */
export function migratedState(tag: string, config = "wrangler.toml"): string {
  const hash = createHash("sha256").update(JSON.stringify(d1DatabaseIds(config)));
  for (const file of readdirSync("migrations").sort())
    if (file.endsWith(".sql")) hash.update(readFileSync(`migrations/${file}`));
  // …and the job that finishes them (scripts/finish-rekey.ts).
  hash.update(readFileSync("src/db/writes/events-rekey.ts"));
  const template = join(tmpdir(), `watchllm-migrated-${hash.digest("hex").slice(0, 16)}`);
  if (!existsSync(template)) {
    const building = mkdtempSync(join(tmpdir(), "watchllm-migrating-"));
    applyMigrations({ persistTo: building, config });
    try {
      renameSync(building, template);
    } catch {
      rmSync(building, { recursive: true, force: true }); // another process made the template meanwhile
    }
  }
  const state = mkdtempSync(join(tmpdir(), `watchllm-${tag}-`));
  cpSync(template, state, { recursive: true });
  return state;
}

/** SQL literal for a string or number (the seed values are ours, but quote them properly anyway). */
export function literal(value: string | number | null): string {
  if (value === null) return "NULL";
  return typeof value === "number" ? String(value) : `'${value.replaceAll("'", "''")}'`;
}

export function executeSql(statements: string[], where?: LocalTarget) {
  const file = join(mkdtempSync(join(tmpdir(), "watchllm-")), "seed.sql");
  writeFileSync(file, `${statements.join(";\n")};\n`);
  wrangler(["d1", "execute", "DB", "--local", "--file", file, ...target(where)]);
}

/** The INSERT for a key row made by `keyRow()` (src/auth/keys.ts); re-seeding refreshes its hash and un-revokes it. */
export function keyInsertSql(k: {
  id: string;
  projectId: string;
  kind: string;
  name: string;
  keyHash: string;
  prefix: string;
}) {
  return (
    `INSERT INTO api_keys (id, project_id, kind, name, key_hash, prefix) VALUES (${[k.id, k.projectId, k.kind, k.name, k.keyHash, k.prefix].map(literal).join(", ")}) ` +
    `ON CONFLICT (id) DO UPDATE SET key_hash = excluded.key_hash, prefix = excluded.prefix, revoked_at = NULL`
  );
}
