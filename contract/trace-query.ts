// The trace list's query (filters, the score filter and columns, sorts, pages): the Worker parses it, the dashboard's
// filter bar builds it (ui/lib/trace-filters.ts).
import { z } from "zod";
import { EVENT_STATUSES, TRACE_SORTS } from "./constants.ts";
import { id } from "./event.ts";
import { PAGE_LIMITS } from "./limits.ts";
import { limitParam, numberParam, pageParams } from "./query-params.ts";
import { SCORE_LIMITS } from "./scores.ts";

const MAX_SCORE_COLUMNS = 5;

export const scoreFilterParams = {
  /** The score name the other score_ params refer to. */
  score: z.string().max(SCORE_LIMITS.maxNameChars).optional(),
  score_min: z.coerce.number().finite().optional(),
  score_max: z.coerce.number().finite().optional(),
  /** `true` / `false` for a boolean score, a label for a categorical one. */
  score_value: z.string().max(SCORE_LIMITS.maxValueChars).optional(),
  /** `true`: traces with no score of that name (a reviewer's worklist). */
  score_missing: z.enum(["true", "false"]).optional(),
  /** Comma-separated score names to show as columns. */
  score_columns: z
    .string()
    .max(MAX_SCORE_COLUMNS * (SCORE_LIMITS.maxNameChars + 1))
    .transform((s) =>
      [
        ...new Set(
          s
            .split(",")
            .map((n) => n.trim())
            .filter(Boolean),
        ),
      ].slice(0, MAX_SCORE_COLUMNS),
    )
    .optional(),
};

export const traceListParams = z
  .object({
    ...pageParams,
    limit: limitParam(PAGE_LIMITS.traces.default, PAGE_LIMITS.traces.max),
    status: z.enum(EVENT_STATUSES).optional(),
    /** The root's name (the trace's). */
    name: z.string().max(256).optional(),
    /** Traces with an event of exactly this name (the metrics' and alerts' `name`). */
    event_name: z.string().max(256).optional(),
    model: z.string().max(128).optional(),
    user_id: z.string().max(256).optional(),
    session_id: z.string().max(256).optional(),
    tag: z.string().max(64).optional(),
    min_duration_ms: numberParam.optional(),
    max_duration_ms: numberParam.optional(),
    min_cost: numberParam.optional(),
    q: z.string().trim().max(200).optional(),
    ...scoreFilterParams,
    sort: z.enum(TRACE_SORTS).default("start_time"),
    order: z.enum(["desc", "asc"]).default("desc"),
  })
  // A bound on a score without its name filtered nothing and listed every trace.
  .refine(
    (p) =>
      p.score !== undefined || [p.score_min, p.score_max, p.score_value, p.score_missing].every((v) => v === undefined),
    { message: "score_min, score_max, score_value and score_missing need `score`, the score's name", path: ["score"] },
  );

/** The parsed query. */
export type TraceListParams = z.infer<typeof traceListParams>;
/** The query as sent: every parameter a string. */
export type TraceListQuery = { [K in keyof z.input<typeof traceListParams>]?: string };

// Requests of the trace routes besides the list.
/** `GET /api/v1/traces/compare`: the two traces. */
export const compareParams = z.object({ a: id, b: id });
/** Most rows a `head` read answers: a tall screen of 28 px rows, within D1's 100 bound parameters per statement. */
export const TRACE_HEAD_MAX = 90;
/**
 * `GET /api/v1/traces/:trace_id`: events as a tree, or `columns` (one array per field); with `columns`, `head=N` answers
 * only the tree's first N rows (depth-first, as shown) with the whole trace's summary: a big trace's first screen.
 */
export const traceViewParams = z.object({
  format: z.enum(["events", "columns"]).default("events"),
  head: z.coerce.number().int().min(1).max(TRACE_HEAD_MAX).optional(),
});
/** `GET /api/v1/traces/:trace_id/export`. */
export const traceExportParams = z.object({ format: z.enum(["json", "har"]).default("json") });

/** `GET /api/v1/sessions` and `/api/v1/users`: a page of groups. */
export const groupListParams = z.object({
  ...pageParams,
  limit: limitParam(PAGE_LIMITS.groups.default, PAGE_LIMITS.groups.max),
  user_id: z.string().max(256).optional(),
});
export type GroupListParams = z.infer<typeof groupListParams>;

/** Score names a list row shows at most (the most scored first when not chosen). */
export const MAX_ROW_SCORES = 10;

/** The sessions' and users' lists: `score_names`, comma-separated, the score names each row shows. */
export const groupScoreParams = {
  score_names: z
    .string()
    .max(MAX_ROW_SCORES * (SCORE_LIMITS.maxNameChars + 1))
    .transform((s) =>
      [
        ...new Set(
          s
            .split(",")
            .map((n) => n.trim())
            .filter(Boolean),
        ),
      ].slice(0, MAX_ROW_SCORES),
    )
    .optional(),
};

/** `GET /api/v1/sessions/:session_id` and `/api/v1/users/:user_id`: a page of the group's traces. */
export const groupTraceParams = z.object({
  limit: limitParam(PAGE_LIMITS.groupTraces.default, PAGE_LIMITS.groupTraces.max),
  cursor: z.string().max(512).optional(),
});
