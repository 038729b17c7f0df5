// Sessions and users: trace summaries grouped by session_id or user_id (users through their own index, sessions through
// the project's traces in the range: docs/SCALING.md §2.7), newest activity first, keyset pages over (last_seen, id).
import { and, count, countDistinct, desc, eq, gte, isNotNull, lt, max, min, sql, sum } from "drizzle-orm";
import type { GroupListParams } from "../../../contract/trace-query.ts";
import { decodeCursor, timeAndId } from "../../lib/cursor.ts";
import type { DataDb } from "../client.ts";
import { traces } from "../schema.ts";

const GROUP_KEYS = { session: traces.sessionId, user: traces.userId } as const;
export type GroupBy = keyof typeof GROUP_KEYS;

export function groupQuery(db: DataDb, projectId: string, by: GroupBy, p: GroupListParams & { id?: string }) {
  const key = GROUP_KEYS[by];
  const lastSeen = max(traces.endTs);
  const query = db
    .select({
      id: sql<string>`${key}`,
      userId: max(traces.userId),
      traceCount: count(),
      sessionCount: countDistinct(traces.sessionId),
      firstSeen: min(traces.startTs),
      lastSeen,
      totalTokens: sum(traces.totalTokens).mapWith(Number),
      totalCost: sum(traces.totalCost).mapWith(Number),
      errorCount: sum(traces.errorCount).mapWith(Number),
    })
    .from(traces)
    .where(
      and(
        eq(traces.projectId, projectId),
        p.id !== undefined ? eq(key, p.id) : isNotNull(key),
        p.from !== undefined ? gte(traces.startTs, p.from) : undefined,
        p.to !== undefined ? lt(traces.startTs, p.to) : undefined,
        p.user_id !== undefined ? eq(traces.userId, p.user_id) : undefined,
      ),
    )
    .groupBy(key);
  const [seen, id] = p.cursor ? decodeCursor(p.cursor, timeAndId) : [];
  return query
    .having(p.cursor ? sql`(${lastSeen}, ${key}) < (${seen}, ${id})` : undefined)
    .orderBy(desc(lastSeen), desc(key))
    .limit(p.limit + 1);
}

export type GroupRow = Awaited<ReturnType<typeof groupQuery>>[number];
