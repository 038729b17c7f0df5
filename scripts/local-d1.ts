// Helpers for scripts that prepare the local D1 database through wrangler (the same state `wrangler dev` uses).
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const wrangler = (args: string[]) =>
  execFileSync("wrangler", args, {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, CI: "true" },
  }).toString();

/** Where the local state lives (benchmarks use a scratch folder) and which wrangler config names the database. */
export type LocalTarget = { persistTo?: string; config?: string };

const target = ({ persistTo, config }: LocalTarget = {}) => [
  ...(persistTo ? ["--persist-to", persistTo] : []),
  ...(config ? ["--config", config] : []),
];

export function applyMigrations(where?: LocalTarget) {
  wrangler(["d1", "migrations", "apply", "DB", "--local", ...target(where)]);
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
