// zod for prices arriving over the API, checked against the matcher's own types.
import { z } from "zod";
import type { MatchRule, Rate, Rates } from "./types.ts";

const name = z.string().min(1).max(200);

/**
 * Override rules run in the shared queue consumer against every model name, so a pattern that can backtrack
 * exponentially (a repeated group containing a quantifier or an alternation, like `(a+)+` or `(a|aa)+`) or a
 * back-reference is refused.
 */
const safeRegex = name
  .refine((re) => {
    try {
      new RegExp(re);
      return true;
    } catch {
      return false;
    }
  }, "not a valid regular expression")
  .refine(
    (re) => !/\([^)]*[+*}][^)]*\)\s*[+*{?]/.test(re) && !/\([^)]*\|[^)]*\)\s*[+*{]/.test(re) && !/\\[1-9]/.test(re),
    "nested or repeated-alternation quantifiers and back-references are not allowed (they can make matching very slow)",
  );

export const matchRule: z.ZodType<MatchRule> = z.lazy(() =>
  z.union([
    z.strictObject({ equals: name }),
    z.strictObject({ starts_with: name }),
    z.strictObject({ ends_with: name }),
    z.strictObject({ contains: name }),
    z.strictObject({ regex: safeRegex }),
    z.strictObject({ and: z.array(matchRule).min(1).max(10) }),
    z.strictObject({ or: z.array(matchRule).min(1).max(50) }),
  ]),
);

const perMillion = z.number().nonnegative().max(100_000);
export const rate: z.ZodType<Rate> = z.union([
  perMillion,
  z.strictObject({
    base: perMillion,
    tiers: z
      .array(z.strictObject({ start: z.number().int().nonnegative(), price: perMillion }))
      .min(1)
      .max(10),
  }),
]);

export const rates: z.ZodType<Rates> = z
  .strictObject({
    input_mtok: rate.optional(),
    output_mtok: rate.optional(),
    cache_read_mtok: rate.optional(),
    cache_write_mtok: rate.optional(),
    requests_kcount: z.number().nonnegative().max(100_000).optional(),
  })
  .refine((r) => Object.keys(r).length > 0, "give at least one rate");
