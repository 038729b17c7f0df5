// Langfuse's ingestion API (`POST /api/public/ingestion`), as its SDKs (langfuse v2/v3) send it: a batch of
// create/update items for traces and observations. WatchLLM takes it so a Langfuse app switches by changing its host.
import { z } from "zod";

const time = z.union([z.string(), z.number()]);
const json = z.record(z.string(), z.unknown());
const opt = <T extends z.ZodType>(t: T) => t.nullish();

export const langfuseTrace = z.looseObject({
  id: z.string().min(1),
  timestamp: opt(time),
  name: opt(z.string()),
  userId: opt(z.string()),
  sessionId: opt(z.string()),
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  metadata: z.unknown().optional(),
  tags: opt(z.array(z.string())),
  release: opt(z.string()),
  version: opt(z.string()),
  environment: opt(z.string()),
});

const usage = z.looseObject({
  input: opt(z.number()),
  output: opt(z.number()),
  total: opt(z.number()),
  promptTokens: opt(z.number()),
  completionTokens: opt(z.number()),
  totalTokens: opt(z.number()),
  inputCost: opt(z.number()),
  outputCost: opt(z.number()),
  totalCost: opt(z.number()),
});

export const langfuseObservation = z.looseObject({
  id: z.string().min(1),
  traceId: opt(z.string()),
  parentObservationId: opt(z.string()),
  name: opt(z.string()),
  startTime: opt(time),
  endTime: opt(time),
  completionStartTime: opt(time),
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  metadata: z.unknown().optional(),
  level: opt(z.enum(["DEBUG", "DEFAULT", "WARNING", "ERROR"])),
  statusMessage: opt(z.string()),
  version: opt(z.string()),
  model: opt(z.string()),
  modelParameters: opt(json),
  usage: opt(usage),
  usageDetails: opt(z.record(z.string(), z.number())),
  costDetails: opt(z.record(z.string(), z.number())),
});

export const LANGFUSE_TYPES = [
  "trace-create",
  "span-create",
  "span-update",
  "generation-create",
  "generation-update",
  "event-create",
  "sdk-log",
  "score-create",
] as const;

/** One item of a batch; its `body` is checked against the type's shape item by item, so one bad item costs itself. */
export const langfuseItem = z.object({
  id: z.string().min(1).max(128),
  type: z.string(),
  timestamp: opt(time),
  body: z.unknown(),
});
export type LangfuseItem = z.infer<typeof langfuseItem>;

export const langfuseBatch = z.object({ batch: z.array(z.unknown()).max(1_000), metadata: z.unknown().optional() });

/** 207, as Langfuse answers: each item in `successes` or in `errors`. */
export const langfuseAnswer = z.strictObject({
  successes: z.array(z.strictObject({ id: z.string(), status: z.number().int() })),
  errors: z.array(z.strictObject({ id: z.string(), status: z.number().int(), message: z.string() })),
});
export type LangfuseAnswer = z.infer<typeof langfuseAnswer>;
