// Adds what the consumer newly stored to usage_daily (control plane). Counting never fails a write: the events are
// stored by then, and a retry would find nothing new to count, so a failure here is logged and the usage is lost.
import type { UsageTally } from "../db/writes/usage.ts";
import { usageUpserts } from "../db/writes/usage-counts.ts";
import { log } from "../lib/log.ts";
import { noteQuotaWarnings, type PlanVars } from "./warnings.ts";

/**
 * Merges tallies per (project, day, way in) and adds them in one statement per chunk (one per group, in practice);
 * then notes the quota warnings (80%, 100%) the orgs that got events have reached.
 */
export async function recordUsage(control: D1Database, tallies: UsageTally[], vars: PlanVars) {
  const merged = new Map<string, UsageTally>();
  for (const t of tallies) {
    const key = `${t.project_id}\u0000${t.day}\u0000${t.source}`;
    const m = merged.get(key);
    if (!m) merged.set(key, { ...t });
    else {
      m.events += t.events;
      m.d1_bytes += t.d1_bytes;
      m.r2_bytes += t.r2_bytes;
      m.scores += t.scores;
    }
  }
  const counted = [...merged.values()].filter((t) => t.events || t.d1_bytes || t.r2_bytes || t.scores);
  if (!counted.length) return;
  const rows = counted.map((t) => [t.project_id, t.day, t.source, t.events, t.d1_bytes, t.r2_bytes, t.scores]);
  try {
    await control.batch(usageUpserts(control, rows));
  } catch (err) {
    log.error("usage.not_counted", err, { rows: JSON.stringify(rows).slice(0, 500) });
    return;
  }
  const withEvents = [...new Set(counted.filter((t) => t.events > 0).map((t) => t.project_id))];
  await noteQuotaWarnings(control, vars, withEvents).catch((err) => log.error("usage.quota_warnings_not_noted", err));
}
