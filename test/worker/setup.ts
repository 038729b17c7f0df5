import { applyD1Migrations, env } from "cloudflare:test";
import { dataDatabases } from "../../src/db/shards.ts";
import { d1Runner, finishEventsRekey } from "../../src/db/writes/events-rekey.ts";

// The control plane and every data database (DATA_0 is the control-plane database: migrating it twice is a no-op),
// each ending on migration 0029's events table at once, through the Cron's own steps (a fresh database has nothing
// to copy).
for (const d1 of new Set([env.DB, ...dataDatabases(env)])) {
  await applyD1Migrations(d1, env.TEST_MIGRATIONS);
  await finishEventsRekey(d1Runner(d1));
}
