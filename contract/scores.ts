// Scores: a judgement attached to a trace or one of its events (an end user's thumbs, a reviewer's label, an automated
// check's number). The wire score of POST /api/v1/scores, the stored score the queue carries, the read answers, and
// the per-project score configs that bound what a score of a given name may be.
import { z } from "zod";
import { id, timestamp } from "./event.ts";
import { jsonDepth } from "./json.ts";
import { LIMITS } from "./limits.ts";
import { limitParam, pageParams, timeParam } from "./query-params.ts";

/** Who produced a score: an API call, an SDK, an end user's feedback, a member's annotation, an automated eval. */
export const SCORE_SOURCES = ["api", "sdk", "feedback", "annotation", "eval"] as const;
export type ScoreSource = (typeof SCORE_SOURCES)[number];

/** The sources the browser-safe ingest key may send. */
export const INGEST_KEY_SCORE_SOURCES: readonly ScoreSource[] = ["feedback", "sdk"];

/** How a score's value reads: a number, true/false, or one of a set of labels. */
export const SCORE_KINDS = ["numeric", "boolean", "categorical"] as const;
export type ScoreKind = (typeof SCORE_KINDS)[number];

/** Who wrote a stored score: an ingest key, a secret key, or a member of the project (an annotation). */
export const SCORE_AUTHOR_KINDS = ["ingest", "secret", "member"] as const;
export type ScoreAuthorKind = (typeof SCORE_AUTHOR_KINDS)[number];

export const SCORE_LIMITS = {
  maxNameChars: 200,
  maxValueChars: 200,
  maxCommentBytes: 4 * 1024,
  maxMetadataBytes: 4 * 1024,
  maxScoresPerRequest: 1000,
  maxConfigCategories: 50,
  maxConfigsPerProject: 100,
  maxDescriptionChars: 1000,
  /** Summary buckets one answer may hold (names × buckets). */
  maxSummaryRows: 5_000,
  page: { default: 50, max: 500 },
} as const;

const byteLength = (s: string) => new TextEncoder().encode(s).length;

export const scoreValue = z.union([
  z.number().finite(),
  z.boolean(),
  z.string().min(1).max(SCORE_LIMITS.maxValueChars),
]);
export type ScoreValue = z.infer<typeof scoreValue>;

/** A score's comment, bounded in UTF-8 bytes (as it is stored) wherever it comes from. */
const comment = z
  .string()
  .refine((s) => byteLength(s) <= SCORE_LIMITS.maxCommentBytes, `at most ${SCORE_LIMITS.maxCommentBytes} bytes`);

export const wireScore = z.object({
  score_id: id.optional().describe("the idempotency key (unique per project); derived from the score when absent"),
  trace_id: id.describe("the trace the score judges; it may arrive before the trace"),
  event_id: id.nullish().describe("a span or model call inside the trace"),
  name: z.string().trim().min(1).max(SCORE_LIMITS.maxNameChars),
  value: scoreValue.describe("a number, a boolean, or a categorical label (≤ 200 characters)"),
  comment: comment.nullish(),
  source: z.enum(SCORE_SOURCES).optional().describe("defaults to `api` (secret key) or `feedback` (ingest key)"),
  timestamp: timestamp.optional().describe("when the score was given; the latest one wins for a score id"),
  context: z
    .object({
      user_id: z.string().max(256).nullish(),
      metadata: z
        .record(z.string(), z.unknown())
        .refine((m) => jsonDepth(m, LIMITS.maxJsonDepth) <= LIMITS.maxJsonDepth, "nests too deeply")
        .refine(
          (m) => byteLength(JSON.stringify(m)) <= SCORE_LIMITS.maxMetadataBytes,
          `at most ${SCORE_LIMITS.maxMetadataBytes} bytes`,
        )
        .optional(),
    })
    .optional(),
});
export type WireScore = z.input<typeof wireScore>;

export const scoreIngestRequest = z.object({ scores: z.array(z.unknown()), api_key: z.string().optional() });

/** What travels on the queue and is stored: flat, the value split by kind, who wrote it. */
export const storedScore = z.object({
  score_id: id,
  trace_id: id,
  event_id: id.nullable(),
  name: z.string(),
  kind: z.enum(SCORE_KINDS),
  /** The number (booleans as 1/0); null for a categorical value. */
  value_num: z.number().nullable(),
  /** The label of a categorical value; null otherwise. */
  value_str: z.string().nullable(),
  comment: z.string().nullable(),
  source: z.enum(SCORE_SOURCES),
  ts: z.number(),
  user_id: z.string().nullable(),
  metadata: z.string().nullable(),
  author_kind: z.enum(SCORE_AUTHOR_KINDS),
  /** The key's or the member's id. */
  author_id: z.string(),
});
export type StoredScore = z.infer<typeof storedScore>;

/** The stored-score fields in the order the consumer writes them (the `scores` columns after `project_id`). */
export const STORED_SCORE_FIELDS = Object.keys(storedScore.shape) as Array<keyof StoredScore>;

/** A score as the read API gives it. */
export const scoreView = z.strictObject({
  score_id: z.string(),
  trace_id: z.string(),
  event_id: z.string().nullable(),
  name: z.string(),
  kind: z.enum(SCORE_KINDS),
  value: scoreValue,
  comment: z.string().nullable(),
  source: z.enum(SCORE_SOURCES),
  timestamp: z.number(),
  user_id: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  author_kind: z.enum(SCORE_AUTHOR_KINDS),
  author_id: z.string(),
  received_at: z.number(),
});
export type ScoreView = z.infer<typeof scoreView>;

export const scoreListAnswer = z.strictObject({ scores: z.array(scoreView), next_cursor: z.string().nullable() });
export type ScoreListAnswer = z.infer<typeof scoreListAnswer>;

/** Why a score of a batch was not accepted (beside the accepted ones). */
export const scoreRejection = z.strictObject({
  index: z.number().int().nonnegative(),
  score_id: z.string().nullable(),
  code: z.enum(["invalid_score", "source_not_allowed", "outside_config"]),
  message: z.string(),
});
export type ScoreRejection = z.infer<typeof scoreRejection>;

export const scoreIngestAnswer = z.strictObject({
  accepted: z.number().int().nonnegative(),
  rejected: z.array(scoreRejection),
});
export type ScoreIngestAnswer = z.infer<typeof scoreIngestAnswer>;

export const SCORE_BUCKETS = ["hour", "day"] as const;

/** One score name in one time bucket. */
export const scoreSummaryRow = z.strictObject({
  name: z.string(),
  bucket: z.number(),
  count: z.number().int(),
  /** Numeric and boolean scores (true = 1): their mean; null for categorical ones. */
  avg: z.number().nullable(),
  /** Categorical scores: how many had each label. */
  values: z.record(z.string(), z.number().int()).nullable(),
});
export const scoreSummaryAnswer = z.strictObject({
  bucket: z.enum(SCORE_BUCKETS),
  from: z.number(),
  to: z.number(),
  rows: z.array(scoreSummaryRow),
});
export type ScoreSummaryAnswer = z.infer<typeof scoreSummaryAnswer>;

/** What a score of a configured name may be. */
export const scoreConfigInput = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("numeric"),
    min: z.number().finite().nullish(),
    max: z.number().finite().nullish(),
    description: z.string().max(SCORE_LIMITS.maxDescriptionChars).nullish(),
  }),
  z.strictObject({
    kind: z.literal("boolean"),
    description: z.string().max(SCORE_LIMITS.maxDescriptionChars).nullish(),
  }),
  z.strictObject({
    kind: z.literal("categorical"),
    categories: z.array(z.string().min(1).max(SCORE_LIMITS.maxValueChars)).min(1).max(SCORE_LIMITS.maxConfigCategories),
    description: z.string().max(SCORE_LIMITS.maxDescriptionChars).nullish(),
  }),
]);

export const scoreConfig = z.strictObject({
  name: z.string(),
  kind: z.enum(SCORE_KINDS),
  min: z.number().nullable(),
  max: z.number().nullable(),
  categories: z.array(z.string()).nullable(),
  description: z.string().nullable(),
  updated_at: z.number(),
});
export type ScoreConfig = z.infer<typeof scoreConfig>;
export const scoreConfigListAnswer = z.strictObject({ configs: z.array(scoreConfig) });
export const scoreConfigAnswer = z.strictObject({ config: scoreConfig });
/** A member's annotation, as written (POST /api/projects/:project/scores). */
export const scoreAnswer = z.strictObject({ score: scoreView });

/** A score config's name (the `:name` of its routes). */
export const scoreConfigName = z.string().trim().min(1).max(SCORE_LIMITS.maxNameChars);
/** `POST /api/projects/:project/scores`: a person's score on a trace or one of its events, from the dashboard. */
export const annotationBody = z.object({
  score_id: id.optional(),
  trace_id: id,
  event_id: id.nullish(),
  name: scoreConfigName,
  value: scoreValue,
  comment: comment.nullish(),
});

/** `GET /api/v1/scores`: filters and a keyset page, newest first. */
export const scoreListParams = z.object({
  ...pageParams,
  limit: limitParam(SCORE_LIMITS.page.default, SCORE_LIMITS.page.max),
  trace_id: z.string().max(128).optional(),
  event_id: z.string().max(128).optional(),
  name: z.string().max(SCORE_LIMITS.maxNameChars).optional(),
  source: z.enum(SCORE_SOURCES).optional(),
  user_id: z.string().max(256).optional(),
  /** A categorical label, or `true` / `false`. */
  value: z.string().max(SCORE_LIMITS.maxValueChars).optional(),
  min_value: z.coerce.number().finite().optional(),
  max_value: z.coerce.number().finite().optional(),
});
export type ScoreListParams = z.infer<typeof scoreListParams>;

/** `GET /api/v1/scores/summary`. */
export const scoreSummaryParams = z.object({
  from: timeParam.optional(),
  to: timeParam.optional(),
  bucket: z.enum(SCORE_BUCKETS).default("hour"),
  name: z.string().max(SCORE_LIMITS.maxNameChars).optional(),
});
export type ScoreSummaryParams = z.infer<typeof scoreSummaryParams>;
