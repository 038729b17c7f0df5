// zod pieces for query strings: times (epoch ms or ISO-8601), numbers, page sizes.
import { z } from "zod";

/** A time as epoch milliseconds or an ISO-8601 date/time, normalized to epoch ms. */
export const timeParam = z.union([
  z
    .string()
    .regex(/^\d{10,14}$/, "epoch milliseconds or ISO-8601")
    .transform(Number),
  z.iso.datetime({ offset: true }).transform((iso) => Date.parse(iso)),
  z.iso.date().transform((day) => Date.parse(`${day}T00:00:00Z`)),
]);

export const numberParam = z.coerce.number().finite().nonnegative();

export const limitParam = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

/** Common `from` / `to` range and page fields of list routes. */
export const pageParams = {
  from: timeParam.optional(),
  to: timeParam.optional(),
  cursor: z.string().max(512).optional(),
};

// Query strings as Hono reads them for a route that takes repeated names (`c.req.queries()`: every value of every name),
// or as its validator hands them over (a string, or an array where a name repeats).
const values = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? v : [v]);

/** A parameter sent once; where the name repeats, the last value counts. */
export const lastOf = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (Array.isArray(v) ? v.at(-1) : v), schema);

/** A parameter that may repeat (`?model=a&model=b`): all its values, at most `max`. */
export const repeated = <T extends z.ZodType>(item: T, max: number) => z.preprocess(values, z.array(item).max(max));

/** As `repeated`, with empty values (`?name=`) dropped. */
export const repeatedNonEmpty = <T extends z.ZodType>(item: T, max: number) =>
  z.preprocess((v) => values(v)?.filter((s: unknown) => s !== ""), z.array(item).max(max));

/** A comma-separated list (`a,b`) of the `allowed` values, blanks dropped, each value once. */
export const csvOf = <T extends readonly [string, ...string[]]>(allowed: T) =>
  z
    .string()
    .transform((s) => [
      ...new Set(
        s
          .split(",")
          .map((v) => v.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.enum(allowed)));
