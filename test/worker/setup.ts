import { applyD1Migrations, env } from "cloudflare:test";
import { dataDatabases } from "../../src/db/shards.ts";

// The control plane and every data database (DATA_0 is the control-plane database: migrating it twice is a no-op).
for (const d1 of new Set([env.DB, ...dataDatabases(env)])) await applyD1Migrations(d1, env.TEST_MIGRATIONS);
