// The trace list's query (filters, the score filter and columns, sorts, pages): the Worker parses it, the dashboard's
// filter bar builds it (ui/lib/trace-filters.ts).
import { z } from "zod";
import { EVENT_STATUSES, TRACE_SORTS } from "./constants.ts";
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

export const traceListParams = z.object({
  ...pageParams,
  limit: limitParam(PAGE_LIMITS.traces.default, PAGE_LIMITS.traces.max),
  status: z.enum(EVENT_STATUSES).optional(),
  name: z.string().max(256).optional(),
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
});

/** The parsed query. */
export type TraceListParams = z.infer<typeof traceListParams>;
/** The query as sent: every parameter a string. */
export type TraceListQuery = { [K in keyof z.input<typeof traceListParams>]?: string };
