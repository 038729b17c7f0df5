// Placing a new project on a data database: the one holding the fewest projects (ties to the lowest shard). Projects
// never move by themselves; `npm run db:move-project` moves one (see README "More than one D1").
import { count } from "drizzle-orm";
import type { ControlDb } from "../db/client.ts";
import { projects } from "../db/schema.ts";

export async function leastLoadedShard(db: ControlDb, shardCount: number): Promise<number> {
  const rows = await db.select({ shard: projects.shard, n: count() }).from(projects).groupBy(projects.shard);
  const load = Array.from({ length: shardCount }, (_, shard) => rows.find((r) => r.shard === shard)?.n ?? 0);
  return load.indexOf(Math.min(...load));
}
