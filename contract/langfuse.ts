// Langfuse's ingestion API (`POST /api/public/ingestion`), as its SDKs (langfuse v2/v3) send it: a batch of
// create/update items for traces and observations. WatchLLM takes it so a Langfuse app switches by changing its host.
// The shapes follow Langfuse's own zod schemas (packages/shared/src/server/ingestion/types.ts in langfuse/langfuse):
// what Langfuse refuses is refused item by item, what it accepts is accepted; usage and cost keep their good values.
import { z } from "zod";

/** Langfuse's limits where they are looser than WatchLLM's native ones. */
export const LANGFUSE_LIMITS = {
  /** Next.js `sizeLimit: "4.5mb"` on Langfuse's route. */
  maxRequestBytes: 4.5 * 1024 * 1024,
  /** Langfuse ids: S3 keys leave room for 800 characters. Longer-than-native ids are stored under a bounded id. */
  maxIdChars: 800,
  maxTraceNameChars: 1000,
} as const;

const opt = <T extends z.ZodType>(t: T) => t.nullish();
/** Langfuse ids: 1–800 characters, anything but `\r`. */
export const langfuseId = z
  .string()
  .min(1)
  .max(LANGFUSE_LIMITS.maxIdChars)
  .refine((id) => !id.includes("\r"), { message: "ID cannot contain carriage return characters" });
const time = opt(z.iso.datetime({ offset: true }));

export const langfuseTrace = z.object({
  id: opt(langfuseId),
  timestamp: time,
  name: opt(z.string().max(LANGFUSE_LIMITS.maxTraceNameChars)),
  externalId: opt(z.string()),
  userId: opt(z.string()),
  sessionId: opt(z.string()),
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  metadata: z.unknown().optional(),
  tags: opt(z.array(z.string())),
  release: opt(z.string()),
  version: opt(z.string()),
  environment: z.unknown().optional(),
  public: opt(z.boolean()),
});

const int = opt(z.number().int());
/** The older `usage` object (OpenAI's camelCase names turned into input/output/total, as Langfuse does). */
const usage = z.object({
  input: int,
  output: int,
  total: int,
  unit: opt(z.enum(["CHARACTERS", "TOKENS", "MILLISECONDS", "SECONDS", "IMAGES", "REQUESTS"])),
  promptTokens: int,
  completionTokens: int,
  totalTokens: int,
  inputCost: opt(z.number()),
  outputCost: opt(z.number()),
  totalCost: opt(z.number()),
});

const modelParameters = z.record(
  z.string(),
  opt(z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.record(z.string(), z.string())])),
);

const observationFields = {
  traceId: opt(langfuseId),
  parentObservationId: opt(z.string()),
  name: opt(z.string()),
  startTime: time,
  endTime: time,
  completionStartTime: time,
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  metadata: z.unknown().optional(),
  level: opt(z.enum(["DEBUG", "DEFAULT", "WARNING", "ERROR"])),
  statusMessage: opt(z.string()),
  version: opt(z.string()),
  environment: z.unknown().optional(),
  model: opt(z.string()),
  modelParameters: opt(modelParameters),
  usage: opt(usage),
  /** Checked leniently (bad values dropped, the rest kept), as Langfuse does. */
  usageDetails: z.unknown().optional(),
  costDetails: z.unknown().optional(),
  promptName: opt(z.string()),
  promptVersion: opt(z.number().int()),
};
const promptPair = (o: { promptName?: string | null; promptVersion?: number | null }) =>
  !o.promptName === !o.promptVersion;
const promptPairMessage = { message: "promptName and promptVersion must be set together" };

/** `*-create` and `*-update` observations: the id is required. */
export const langfuseObservation = z
  .object({ id: langfuseId, ...observationFields })
  .refine(promptPair, promptPairMessage);
/** The legacy `observation-create` / `observation-update`: the type travels in the body, the id may be missing. */
export const langfuseLegacyObservation = z
  .object({ id: opt(langfuseId), type: z.enum(["GENERATION", "SPAN", "EVENT"]), ...observationFields })
  .refine(promptPair, promptPairMessage);
export type LangfuseObservation = z.infer<typeof langfuseObservation>;

export const langfuseSdkLog = z.object({
  log: z.unknown().refine((v) => v !== undefined, "Required"),
  id: opt(z.string()),
});

/** One item of a batch; its `body` is checked against the type's shape item by item, so one bad item costs itself. */
export const langfuseItem = z.object({
  id: langfuseId,
  type: z.string(),
  timestamp: z.iso.datetime({ offset: true }),
  body: z.unknown(),
  metadata: z.unknown().optional(),
});
export type LangfuseItem = z.infer<typeof langfuseItem>;

export const langfuseBatch = z.object({ batch: z.array(z.unknown()), metadata: z.unknown().optional() });

/** A score: a `score-create` item's body, or the body of POST /api/public/scores (Langfuse's `scoreCreate`). */
export const langfuseScore = z.looseObject({
  id: z.string().min(1).nullish(),
  traceId: z.string().min(1, "WatchLLM scores a trace: traceId is required"),
  observationId: z.string().nullish(),
  name: z.string().min(1),
  value: z.union([z.number(), z.string(), z.boolean()]),
  stringValue: z.string().nullish(),
  comment: z.string().nullish(),
  dataType: z.enum(["NUMERIC", "BOOLEAN", "CATEGORICAL"]).nullish(),
  metadata: z.unknown().optional(),
  environment: z.string().nullish(),
});

/** POST /api/public/scores answers the score's id, as Langfuse does. */
export const langfuseScoreAnswer = z.strictObject({ id: z.string() });

/** 207, as Langfuse answers: each item in `successes` or in `errors` (`message` a category, `error` the detail). */
export const langfuseAnswer = z.strictObject({
  successes: z.array(z.strictObject({ id: z.string(), status: z.number().int() })),
  errors: z.array(
    z.strictObject({ id: z.string(), status: z.number().int(), message: z.string(), error: z.string().optional() }),
  ),
});
export type LangfuseAnswer = z.infer<typeof langfuseAnswer>;
