// Cost reports (/api/v1/costs, /api/orgs/:org/costs) and model prices (/api/v1/prices): the answers, and the price
// shapes clients send.
import { z } from "zod";
import { COST_GROUPS, COST_SOURCES } from "./constants.ts";
import { jsonDepth } from "./json.ts";
import { MATCH_RULE_LIMITS, PAGE_LIMITS } from "./limits.ts";
import { timeParam } from "./query-params.ts";

const sums = {
  cost: z.number(),
  input_tokens: z.number(),
  output_tokens: z.number(),
  cached_input_tokens: z.number(),
  calls: z.number(),
  /** Calls no price matched; null where the grouping can't tell (user, session, trace name). */
  unpriced_calls: z.number().nullable(),
};

/** A group's key: the model, provider, project, user, session or trace name; the bucket start for `day` and `hour`. */
const groupKey = z.union([z.string(), z.number()]).nullable();
export const costGroup = z.strictObject({
  key: groupKey,
  ...sums,
  /**
   * `group_by=model`: the model names as sent that were added up under `key`, the name of the price they matched
   * (a dated snapshot and its base name are one group); a name no price matches is its own key.
   */
  models: z.array(z.string()).optional(),
});
export const costSeriesPoint = z.strictObject({ key: groupKey, bucket: z.number(), ...sums });

export const costReport = z.strictObject({
  from: z.number(),
  to: z.number(),
  group_by: z.enum(COST_GROUPS),
  interval: z.enum(["hour", "day"]),
  totals: z.strictObject({ ...sums, unpriced_calls: z.number() }),
  groups: z.array(costGroup),
  series: z.array(costSeriesPoint),
  unknown_models: z.array(z.strictObject({ model: z.string(), provider: z.string(), calls: z.number() })),
  /** The gateway's cache hits in range, priced as the calls they replaced (`unpriced_hits`: no price known). */
  cache_savings: z.strictObject({ hits: z.number().int(), cost: z.number(), unpriced_hits: z.number().int() }),
});
export type CostReport = z.infer<typeof costReport>;
export type CostGroupRow = z.infer<typeof costGroup>;
export type CostSeriesPoint = z.infer<typeof costSeriesPoint>;

/** A rule on model names (genai-prices' rule language); case-insensitive. */
export type MatchRule =
  | { equals: string }
  | { starts_with: string }
  | { ends_with: string }
  | { contains: string }
  | { regex: string }
  | { and: MatchRule[] }
  | { or: MatchRule[] };

const pattern = z.string().min(1).max(MATCH_RULE_LIMITS.patternChars);

const ruleShape: z.ZodType<MatchRule> = z.lazy(() =>
  z.union([
    z.strictObject({ equals: pattern }),
    z.strictObject({ starts_with: pattern }),
    z.strictObject({ ends_with: pattern }),
    z.strictObject({ contains: pattern }),
    z.strictObject({ regex: pattern }),
    z.strictObject({ and: z.array(ruleShape).min(1).max(10) }),
    z.strictObject({ or: z.array(ruleShape).min(1).max(50) }),
  ]),
);

/** Every rule in a rule, itself included. */
export function countRules(rule: MatchRule): number {
  let n = 0;
  const stack = [rule];
  while (stack.length) {
    const r = stack.pop()!;
    n++;
    if ("and" in r) stack.push(...r.and);
    if ("or" in r) stack.push(...r.or);
  }
  return n;
}

/** A rule nests `and`/`or` at most MATCH_RULE_LIMITS.maxDepth deep (checked before the recursive parse). */
export const matchRule: z.ZodType<MatchRule> = z
  .unknown()
  .refine((v) => jsonDepth(v, 2 * MATCH_RULE_LIMITS.maxDepth + 1) <= 2 * MATCH_RULE_LIMITS.maxDepth + 1, {
    message: `and/or may nest at most ${MATCH_RULE_LIMITS.maxDepth} levels`,
    abort: true,
  })
  .pipe(ruleShape)
  .refine((rule) => countRules(rule) <= MATCH_RULE_LIMITS.maxRules, {
    message: `at most ${MATCH_RULE_LIMITS.maxRules} rules in one`,
  });

const perMillion = z.number().nonnegative().max(100_000);
/** USD per million tokens, or tiers: above `start` input tokens, `price` applies to all tokens of that kind. */
export const rate = z.union([
  perMillion,
  z.strictObject({
    base: perMillion,
    tiers: z
      .array(z.strictObject({ start: z.number().int().nonnegative(), price: perMillion }))
      .min(1)
      .max(10),
  }),
]);
export type Rate = z.infer<typeof rate>;

export const rates = z
  .strictObject({
    input_mtok: rate.optional(),
    output_mtok: rate.optional(),
    cache_read_mtok: rate.optional(),
    cache_write_mtok: rate.optional(),
    /** USD per 1,000 requests. */
    requests_kcount: z.number().nonnegative().max(100_000).optional(),
  })
  .refine((r) => Object.keys(r).length > 0, "give at least one rate");
export type Rates = z.infer<typeof rates>;

/** A project's price override as the API shows it. */
export const price = z.strictObject({
  id: z.string(),
  model: z.string(),
  provider: z.string().nullable(),
  match: matchRule,
  effective_from: z.number(),
  rates,
  created_at: z.number(),
  updated_at: z.number(),
});
export type Price = z.infer<typeof price>;

/** Which price a call of a model would get now (`GET /api/v1/prices?model=`). */
export const resolvedPrice = z.strictObject({
  model: z.string(),
  source: z.enum(COST_SOURCES),
  matched: z.strictObject({ model: z.string(), provider: z.string().nullable(), match: matchRule }).nullable(),
  rates: rates.nullable(),
});

export const priceListAnswer = z.strictObject({ overrides: z.array(price), resolved: resolvedPrice.optional() });
export const priceAnswer = z.strictObject({ price });

export const recomputeAnswer = z.strictObject({
  scanned: z.number().int(),
  updated: z.number().int(),
  next_cursor: z.string().nullable(),
  done: z.boolean(),
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** `GET /api/v1/costs` and `/api/orgs/:org/costs`: the range (widened to whole hours; 30 days by default), grouping and buckets. */
export const costParams = z
  .object({
    from: timeParam.optional(),
    to: timeParam.optional(),
    group_by: z.enum(COST_GROUPS).default("model"),
    interval: z.enum(["hour", "day"]).optional(),
    limit: z.coerce.number().int().min(1).max(PAGE_LIMITS.costGroups.max).default(PAGE_LIMITS.costGroups.default),
  })
  .transform((p) => {
    // Rollups are hourly: the range is widened to whole hours.
    const to = Math.ceil((p.to ?? Date.now()) / HOUR) * HOUR;
    const from = Math.floor((p.from ?? to - 30 * DAY) / HOUR) * HOUR;
    return { ...p, from, to, interval: p.interval ?? (to - from > 2 * DAY ? "day" : "hour") };
  })
  .refine((p) => p.from < p.to, { message: "`from` must be before `to`", path: ["from"] })
  .refine((p) => (p.to - p.from) / (p.interval === "hour" ? HOUR : DAY) <= PAGE_LIMITS.costBuckets, {
    message: "too many buckets: use interval=day or a shorter range",
    path: ["interval"],
  });
export type CostParams = z.infer<typeof costParams>;

const priceFields = {
  model: z.string().trim().min(1).max(200),
  provider: z.string().trim().toLowerCase().max(64).nullish(),
  /** Defaults to the exact model name. */
  match: matchRule.optional(),
  effective_from: z.union([z.number().int().nonnegative(), timeParam]).optional(),
  rates,
};
/** `POST /api/v1/prices` (the server also checks that every regex compiles in RE2). */
export const priceBody = z.strictObject(priceFields);
/** `PATCH /api/v1/prices/:price_id`. */
export const pricePatchBody = z
  .strictObject(priceFields)
  .partial()
  .refine((p) => Object.keys(p).length > 0, "nothing to change");
/** `GET /api/v1/prices`: which price a model resolves to. */
export const priceLookupParams = z.object({
  model: z.string().max(200).optional(),
  provider: z.string().max(64).optional(),
});
/** `POST /api/v1/prices/recompute`: a range of past events, in steps. */
export const recomputeBody = z
  .strictObject({
    from: z.union([z.number().int(), timeParam]),
    to: z.union([z.number().int(), timeParam]),
    cursor: z.string().max(512).optional(),
  })
  .refine((r) => r.from < r.to, { message: "`from` must be before `to`", path: ["from"] });
