// Retention: every run of the scheduled handler deletes, per project, the traces whose last event is older than its
// retention (the project's own, else the instance's DEFAULT_RETENTION_DAYS; none: kept forever), with their bodies,
// search rows and summaries, a bounded number of steps per project so every project gets its turn; what is left is
// picked up by the next run; data databases are swept side by side. Hourly cost rollups are kept longer
// (LIFECYCLE_LIMITS.rollupRetentionDays, or the retention if longer), so past spend stays visible after its traces are
// gone; minute metric rollups of every project go after 48 hours.
import { LIFECYCLE_LIMITS } from "../../contract/limits.ts";
import { controlDb } from "../db/client.ts";
import { projectRetentions } from "../db/queries/projects.ts";
import { shardDatabase } from "../db/shards.ts";
import { eraseRollupsStep, eraseStep } from "../db/writes/erase.ts";
import { pruneMinuteRollups } from "../db/writes/metrics-rollup.ts";
import type { Bindings } from "../env.ts";
import { log } from "../lib/log.ts";
import { DAY_MS } from "../lib/time.ts";

/** The instance's default retention in days (the DEFAULT_RETENTION_DAYS var); null when unset: forever. */
export function defaultRetentionDays(env: Pick<Bindings, "DEFAULT_RETENTION_DAYS">): number | null {
  const days = Number.parseInt(env.DEFAULT_RETENTION_DAYS ?? "", 10);
  return Number.isInteger(days) && days >= LIFECYCLE_LIMITS.minRetentionDays ? days : null;
}

export const effectiveRetention = (own: number | null, env: Pick<Bindings, "DEFAULT_RETENTION_DAYS">) =>
  own ?? defaultRetentionDays(env);

/** One project's expired data, up to `maxSteps` steps; how many events went. */
export async function expireProject(
  env: Bindings,
  project: { id: string; shard: number; days: number },
  now: number,
  maxSteps: number = LIFECYCLE_LIMITS.retentionStepsPerProject,
) {
  const data = shardDatabase(env, project.shard);
  const cutoff = now - project.days * DAY_MS;
  let deleted = 0;
  for (let step = 0; step < maxSteps; step++) {
    const n = await eraseStep(
      data,
      env.BODIES,
      project.id,
      { kind: "expired", cutoff },
      {
        limit: LIFECYCLE_LIMITS.eventsPerStep,
        rollups: false,
      },
    );
    deleted += n;
    if (n === 0) break;
  }
  const rollupDays = Math.max(project.days, LIFECYCLE_LIMITS.rollupRetentionDays);
  await eraseRollupsStep(data, project.id, now - rollupDays * DAY_MS, LIFECYCLE_LIMITS.eventsPerStep * 5);
  return deleted;
}

/**
 * Runs retention over every project with one, until `deadline`: the data databases side by side (each writes on its
 * own), within each its projects from a rotating start so none is starved.
 */
export async function runRetention(env: Bindings, deadline: number, now = Date.now()) {
  const rows = await projectRetentions(controlDb(env.DB));
  const byShard = new Map<number, Array<{ id: string; shard: number; days: number }>>();
  for (const r of rows) {
    const days = effectiveRetention(r.own, env);
    if (days !== null) byShard.set(r.shard, [...(byShard.get(r.shard) ?? []), { id: r.id, shard: r.shard, days }]);
  }
  const all = new Map<number, string[]>();
  for (const r of rows) all.set(r.shard, [...(all.get(r.shard) ?? []), r.id]);
  await Promise.all([...all].map(([shard, ids]) => pruneMinuteRollups(shardDatabase(env, shard), ids, now)));
  await Promise.all(
    [...byShard.values()].map(async (due) => {
      const start = Math.floor(now / (5 * 60_000)) % due.length;
      for (let i = 0; i < due.length; i++) {
        if (Date.now() > deadline) return;
        const project = due[(start + i) % due.length]!;
        // One project's failure (logged) must not hold back the others' expiry.
        await expireProject(env, project, now).catch((err) =>
          log.error("retention.project_failed", err, { project_id: project.id, shard: project.shard }),
        );
      }
    }),
  );
}
