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
