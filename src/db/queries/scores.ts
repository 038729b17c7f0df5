// Reads of scores: a trace's scores (and their version, for the trace's ETag), the filtered list with keyset pages,
// the per-name summary over time buckets, and a project's score configs.
import { and, asc, desc, eq, gte, lt, lte, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import {
  SCORE_LIMITS,
  type ScoreConfig,
  type ScoreListParams,
  type ScoreSummaryParams,
} from "../../../contract/scores.ts";
import { decodeCursor, timeAndId } from "../../lib/cursor.ts";
import { DAY_MS, HOUR_MS } from "../../lib/time.ts";
import type { ControlDb, DataDb } from "../client.ts";
import { type ScoreConfigRow, scoreConfigs, scores } from "../schema.ts";

/** A trace's scores, oldest first. */
export function traceScoresQuery(db: DataDb, projectId: string, traceId: string) {
  return db
    .select()
    .from(scores)
    .where(and(eq(scores.projectId, projectId), eq(scores.traceId, traceId)))
    .orderBy(asc(scores.ts), asc(scores.scoreId))
    .limit(SCORE_LIMITS.page.max * 2);
}

/** What changes whenever a score of the trace is written or deleted (part of the trace answer's version). */
export async function traceScoresVersion(db: DataDb, projectId: string, traceId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)`, last: sql<number | null>`max(${scores.receivedAt})` })
    .from(scores)
    .where(and(eq(scores.projectId, projectId), eq(scores.traceId, traceId)));
  return `${row?.n ?? 0}.${row?.last ?? 0}`;
}

const booleanParam = z.enum(["true", "false"]).transform((v) => v === "true");

/** A value filter: `true`/`false` match booleans, a number-looking value numbers, anything else a label. */
function valueMatch(value: string): SQL {
  const bool = booleanParam.safeParse(value);
  if (bool.success) return sql`(${scores.kind} = 'boolean' AND ${scores.valueNum} = ${bool.data ? 1 : 0})`;
  const n = Number(value);
  const label = sql`(${scores.kind} = 'categorical' AND ${scores.valueStr} = ${value})`;
  return value.trim() !== "" && Number.isFinite(n)
    ? sql`(${label} OR (${scores.kind} = 'numeric' AND ${scores.valueNum} = ${n}))`
    : label;
}

/** One page of scores, newest first (one row more than `limit`). */
export function scoreListQuery(db: DataDb, projectId: string, p: ScoreListParams) {
  const where: Array<SQL | undefined> = [
    eq(scores.projectId, projectId),
    p.trace_id ? eq(scores.traceId, p.trace_id) : undefined,
    p.event_id ? eq(scores.eventId, p.event_id) : undefined,
    p.name ? eq(scores.name, p.name) : undefined,
    p.source ? eq(scores.source, p.source) : undefined,
    p.user_id ? eq(scores.userId, p.user_id) : undefined,
    p.value !== undefined ? valueMatch(p.value) : undefined,
    p.min_value !== undefined ? gte(scores.valueNum, p.min_value) : undefined,
    p.max_value !== undefined ? lte(scores.valueNum, p.max_value) : undefined,
    p.from !== undefined ? gte(scores.ts, p.from) : undefined,
    p.to !== undefined ? lt(scores.ts, p.to) : undefined,
  ];
  if (p.cursor) {
    const [ts, id] = decodeCursor(p.cursor, timeAndId);
    where.push(sql`(${scores.ts}, ${scores.scoreId}) < (${ts}, ${id})`);
  }
  return db
    .select()
    .from(scores)
    .where(and(...where))
    .orderBy(desc(scores.ts), desc(scores.scoreId))
    .limit(p.limit + 1);
}

export const BUCKET_MS = { hour: HOUR_MS, day: DAY_MS } as const;

/** Per name and bucket: count and mean of the numbers, and per label for categorical scores. */
export function scoreSummaryQuery(db: DataDb, projectId: string, from: number, to: number, p: ScoreSummaryParams) {
  const size = BUCKET_MS[p.bucket];
  // A literal integer: a bound JS number is a REAL in D1, which would make the division fractional.
  const bucket = sql<number>`(${scores.ts} / ${sql.raw(String(size))}) * ${sql.raw(String(size))}`;
  return db
    .select({
      name: scores.name,
      bucket,
      label: scores.valueStr,
      count: sql<number>`count(*)`,
      numbers: sql<number>`count(${scores.valueNum})`,
      sum: sql<number | null>`sum(${scores.valueNum})`,
    })
    .from(scores)
    .where(
      and(
        eq(scores.projectId, projectId),
        gte(scores.ts, from),
        lt(scores.ts, to),
        p.name ? eq(scores.name, p.name) : undefined,
      ),
    )
    .groupBy(scores.name, bucket, scores.valueStr)
    .orderBy(asc(scores.name), asc(bucket))
    .limit(SCORE_LIMITS.maxSummaryRows);
}

export function configView(row: ScoreConfigRow): ScoreConfig {
  return {
    name: row.name,
    kind: row.kind,
    min: row.min,
    max: row.max,
    categories: row.categories === null ? null : (JSON.parse(row.categories) as string[]),
    description: row.description,
    updated_at: row.updatedAt,
  };
}

/** A project's score configs (control plane), by name. */
export async function projectScoreConfigs(control: ControlDb, projectId: string) {
  const rows = await control
    .select()
    .from(scoreConfigs)
    .where(eq(scoreConfigs.projectId, projectId))
    .orderBy(asc(scoreConfigs.name));
  return rows.map(configView);
}

/** One score of the project, or undefined. */
export async function projectScore(db: DataDb, projectId: string, scoreId: string) {
  const [row] = await db
    .select()
    .from(scores)
    .where(and(eq(scores.projectId, projectId), eq(scores.scoreId, scoreId)));
  return row;
}
