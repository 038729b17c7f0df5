// The data databases: every bound DATA_0 … DATA_{N-1}, and the one holding a given project (its `shard`, recorded in
// the control plane's projects table at creation). Every read or write of project data gets its database here, from the
// project's placement — never from a request — so no route can reach another shard's data by naming it.
const MAX_SHARDS = 64;

/** The bound data databases, in shard order. */
export function dataDatabases(env: Env): D1Database[] {
  const shards: D1Database[] = [];
  const bound = env as unknown as Record<string, D1Database | undefined>;
  for (let i = 0; i < MAX_SHARDS; i++) {
    const d1 = bound[`DATA_${i}`];
    if (!d1) break;
    shards.push(d1);
  }
  return shards.length ? shards : [env.DB];
}

/** The data database of a shard; a placement naming an unbound shard is a configuration error, said plainly. */
export function shardDatabase(env: Env, shard: number): D1Database {
  const d1 = dataDatabases(env)[shard];
  if (!d1) throw new Error(`project placed on shard ${shard}, but no DATA_${shard} binding exists (wrangler.toml)`);
  return d1;
}
