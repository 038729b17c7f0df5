declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    UPGRADE_DB: D1Database;
    UPGRADE_DATA_1: D1Database;
    TEST_TIGHT_RATE: RateLimit;
  }
}
