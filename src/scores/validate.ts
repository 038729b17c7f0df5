// Turns wire scores (from POST /api/v1/scores, Langfuse, OTel, the dashboard) into stored ones: checked against the
// contract, the caller's allowed sources and the project's score configs; a missing score id derived from the score.
import type { z } from "zod";
import {
  INGEST_KEY_SCORE_SOURCES,
  type ScoreAuthorKind,
  type ScoreConfig,
  type ScoreKind,
  type ScoreRejection,
  type ScoreSource,
  type ScoreValue,
  type StoredScore,
  wireScore,
} from "../../contract/scores.ts";
import { sha256Hex } from "../lib/ids.ts";

/** Who sends the scores: decides the default source, the allowed ones, and what the stored score records. */
export type ScoreAuthor = { kind: ScoreAuthorKind; id: string };

const describe = (error: z.ZodError) =>
  error.issues.map((issue) => `${issue.path.join(".") || "score"}: ${issue.message}`).join("; ");

const kindOf = (value: ScoreValue): ScoreKind =>
  typeof value === "number" ? "numeric" : typeof value === "boolean" ? "boolean" : "categorical";

/** The value as the config reads it, or why it does not fit (a boolean config also takes 0 and 1, as Langfuse sends). */
export function fitConfig(
  value: ScoreValue,
  config: ScoreConfig | undefined,
): { value: ScoreValue } | { reason: string } {
  if (!config) return { value };
  const named = `score \`${config.name}\` is configured as ${config.kind}`;
  const got = JSON.stringify(value);
  switch (config.kind) {
    case "boolean":
      if (typeof value === "boolean") return { value };
      if (value === 0 || value === 1) return { value: value === 1 };
      return { reason: `${named}: expected true or false, got ${got}` };
    case "numeric":
      if (typeof value !== "number") return { reason: `${named}: expected a number, got ${got}` };
      if (config.min !== null && value < config.min)
        return { reason: `${named}: ${value} is below the minimum ${config.min}` };
      if (config.max !== null && value > config.max)
        return { reason: `${named}: ${value} is above the maximum ${config.max}` };
      return { value };
    case "categorical":
      if (typeof value === "string" && config.categories?.includes(value)) return { value };
      return { reason: `${named}: ${got} is not one of ${JSON.stringify(config.categories ?? [])}` };
  }
}

/** The id of a score sent without one: the same judgement (trace, event, name, source, end user, kind of author). */
export async function derivedScoreId(s: {
  trace_id: string;
  event_id: string | null;
  name: string;
  source: ScoreSource;
  user_id: string | null;
  author_kind: ScoreAuthorKind;
}) {
  const key = JSON.stringify([s.trace_id, s.event_id, s.name, s.source, s.user_id, s.author_kind]);
  return `d_${(await sha256Hex(key)).slice(0, 40)}`;
}

/** Validates each item; the good ones become stored scores, the others rejections with their index and reason. */
export async function validateScores(
  items: unknown[],
  author: ScoreAuthor,
  configs: ScoreConfig[],
  now = Date.now(),
): Promise<{ scores: StoredScore[]; rejected: ScoreRejection[] }> {
  const byName = new Map(configs.map((c) => [c.name, c]));
  const allowed = author.kind === "ingest" ? INGEST_KEY_SCORE_SOURCES : null;
  const scores: StoredScore[] = [];
  const rejected: ScoreRejection[] = [];
  for (const [index, item] of items.entries()) {
    const parsed = wireScore.safeParse(item);
    const givenId = (item as { score_id?: unknown } | null)?.score_id;
    const scoreId = typeof givenId === "string" ? givenId : null;
    if (!parsed.success) {
      rejected.push({ index, score_id: scoreId, code: "invalid_score", message: describe(parsed.error) });
      continue;
    }
    const w = parsed.data;
    const source = w.source ?? (author.kind === "ingest" ? "feedback" : "api");
    if (allowed && !allowed.includes(source)) {
      rejected.push({
        index,
        score_id: scoreId,
        code: "source_not_allowed",
        message: `an ingest key may send scores with source ${allowed.join(" or ")}, not \`${source}\``,
      });
      continue;
    }
    const fit = fitConfig(w.value, byName.get(w.name));
    if ("reason" in fit) {
      rejected.push({ index, score_id: scoreId, code: "outside_config", message: fit.reason });
      continue;
    }
    const { value } = fit;
    const kind = kindOf(value);
    const base = {
      trace_id: w.trace_id,
      event_id: w.event_id ?? null,
      name: w.name,
      source,
      user_id: w.context?.user_id ?? null,
      author_kind: author.kind,
    };
    scores.push({
      ...base,
      score_id: w.score_id ?? (await derivedScoreId(base)),
      kind,
      value_num: kind === "categorical" ? null : Number(value),
      value_str: kind === "categorical" ? (value as string) : null,
      comment: w.comment ?? null,
      ts: Math.round(w.timestamp ?? now),
      metadata: w.context?.metadata ? JSON.stringify(w.context.metadata) : null,
      author_id: author.id,
    });
  }
  return { scores, rejected };
}
