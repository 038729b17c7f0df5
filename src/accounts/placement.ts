// Placing a new project on a data database: the one holding the fewest projects (ties to the lowest shard). Projects
// never move by themselves; `npm run db:move-project` moves one (see README "More than one D1").
import type { ControlDb } from "../db/client.ts";
import { projectsPerShard } from "../db/queries/placement.ts";

export async function leastLoadedShard(db: ControlDb, shardCount: number): Promise<number> {
  const rows = await projectsPerShard(db);
  const load = Array.from({ length: shardCount }, (_, shard) => rows.find((r) => r.shard === shard)?.n ?? 0);
  return load.indexOf(Math.min(...load));
}
