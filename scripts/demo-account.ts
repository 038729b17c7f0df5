// The demo user, org, project and keys of a local instance. Their plaintext lives in the git-ignored .watchllm/demo.json
// (D1 keeps only hashes), so every start prints the same keys and re-seeding is idempotent.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { keyRow } from "../src/auth/keys.ts";
import { hashPassword } from "../src/auth/passwords.ts";
import { randomToken } from "../src/lib/ids.ts";
import { executeSql, keyInsertSql, literal } from "./local-d1.ts";

const FILE = ".watchllm/demo.json";

export type DemoAccount = {
  orgId: string;
  projectId: string;
  ingestKey: string;
  secretKey: string;
  email: string;
  password: string;
};

function loadOrCreate(): DemoAccount {
  const fresh: DemoAccount = {
    orgId: "org_demo",
    projectId: "prj_demo",
    ingestKey: `wl_ingest_${randomToken(32)}`,
    secretKey: `wl_secret_${randomToken(32)}`,
    email: "demo@watchllm.local",
    password: randomToken(16),
  };
  // Fields missing from an older file are filled in; existing ones are kept.
  const account = existsSync(FILE)
    ? { ...fresh, ...(JSON.parse(readFileSync(FILE, "utf8")) as Partial<DemoAccount>) }
    : fresh;
  mkdirSync(".watchllm", { recursive: true });
  writeFileSync(FILE, `${JSON.stringify(account, null, 2)}\n`, { mode: 0o600 });
  return account;
}

export async function ensureDemoAccount(): Promise<DemoAccount> {
  const account = loadOrCreate();
  const keys = [
    await keyRow(account.projectId, "ingest", account.ingestKey, "Demo ingest key", "key_demo_ingest"),
    await keyRow(account.projectId, "secret", account.secretKey, "Demo secret key", "key_demo_secret"),
  ];
  const passwordHash = await hashPassword(account.password);
  executeSql([
    `INSERT INTO users (id, email, name, password_hash, is_admin) VALUES ('usr_demo', ${literal(account.email)}, 'Demo user', ${literal(passwordHash)}, 1) ` +
      `ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash`,
    `INSERT OR IGNORE INTO orgs (id, name) VALUES (${literal(account.orgId)}, 'Demo org')`,
    `INSERT OR IGNORE INTO org_members (org_id, user_id, role) VALUES (${literal(account.orgId)}, 'usr_demo', 'owner')`,
    `INSERT OR IGNORE INTO projects (id, org_id, name) VALUES (${literal(account.projectId)}, ${literal(account.orgId)}, 'Demo project')`,
    ...keys.map(keyInsertSql),
  ]);
  return account;
}
