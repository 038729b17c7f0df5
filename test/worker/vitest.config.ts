// Worker tests run inside workerd with the real wrangler.toml bindings (local D1, local Queues) and migrations applied,
// in two projects: `worker` shares one instance among its files (each works in projects of its own), `worker-isolated`
// (vitest.isolated.config.ts) gives each of its files a fresh instance.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url).href);

/**
 * wrangler.toml's queue consumers, each handed its messages at once (production waits up to a second to fill a batch):
 * a test waits on the queue after each write. Miniflare takes a consumer's options whole, so all of them are copied.
 */
function immediateConsumers() {
  const consumers: Record<string, Record<string, unknown>> = {};
  for (const block of readFileSync(root("wrangler.toml"), "utf8").split("[[queues.consumers]]").slice(1)) {
    const field = (name: string) =>
      block.split("\n[")[0]!.match(new RegExp(`^${name}\\s*=\\s*"?([^"\\n]+)"?`, "m"))?.[1];
    const queue = field("queue");
    if (!queue) continue;
    const dlq = field("dead_letter_queue");
    consumers[queue] = {
      maxBatchSize: Number(field("max_batch_size") ?? 10),
      maxBatchTimeout: 0,
      maxRetries: Number(field("max_retries") ?? 3),
      ...(dlq ? { deadLetterQueue: dlq } : {}),
    };
  }
  return consumers;
}

/**
 * Files that need an instance of their own: they run whole-instance work (the scheduled handler, maintenance, retention
 * and the orphan sweep, alert evaluation and resends, usage warnings: all over every project, at a made-up time), use
 * the upgrade databases, or need a fresh instance (the first user). Anything that does so belongs here.
 */
export const ISOLATED = [
  "test/worker/alert-evaluation.test.ts",
  "test/worker/alerts.test.ts",
  "test/worker/first-user.test.ts",
  "test/worker/jobs.test.ts",
  "test/worker/metrics-days.test.ts",
  "test/worker/metrics.test.ts",
  "test/worker/move.test.ts",
  "test/worker/retention.test.ts",
  "test/worker/shards.test.ts",
  "test/worker/upgrade.test.ts",
  "test/worker/usage-warnings.test.ts",
];

/** A worker project: `isolate` gives each file a fresh instance, else the files share one (per Vitest worker). */
export const workerProject = (name: string, files: { include: string[]; exclude?: string[] }, isolate: boolean) =>
  defineConfig({
    plugins: [
      cloudflareTest(async () => ({
        wrangler: { configPath: root("wrangler.toml") },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: await readD1Migrations(root("migrations")),
            // Alert deliveries go to the local receiver (global-setup.ts) on 127.0.0.1, and retry at once.
            LOCAL_MODE: "true",
            ALERT_RETRY_BASE_SECONDS: "0",
          },
          // Empty databases for upgrade tests (old migrations, old data, then the rest).
          d1Databases: ["UPGRADE_DB", "UPGRADE_DATA_1"],
          // A tight limiter a test plan names (usage.test.ts), so the default one stays out of every other test's way.
          queueConsumers: immediateConsumers(),
          ratelimits: { TEST_TIGHT_RATE: { namespace_id: "9001", simple: { limit: 3, period: 60 } } },
        },
      })),
    ],
    test: {
      name,
      root: root("."),
      ...files,
      isolate,
      setupFiles: ["test/worker/setup.ts"],
      globalSetup: ["test/worker/global-setup.ts"],
      // Timeouts only bound a failure (a move took over 30 s at load 30–40).
      testTimeout: 120_000,
      hookTimeout: 120_000,
    },
  });

export default workerProject("worker", { include: ["test/worker/**/*.test.ts"], exclude: ISOLATED }, false);
