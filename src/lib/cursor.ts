// Opaque keyset-pagination cursors: the last row's sort values, as base64url JSON.
import { z } from "zod";
import { ApiError } from "./errors.ts";

export type CursorValues = Array<string | number | null>;

export function encodeCursor(values: CursorValues): string {
  const bytes = new TextEncoder().encode(JSON.stringify(values));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** A cursor of (time, id) pairs. */
export const timeAndId = z.tuple([z.number(), z.string()]);

/** The values of a cursor this API gave out, checked against the route's shape; 400 `invalid_cursor` otherwise. */
export function decodeCursor<T extends z.ZodType<CursorValues>>(cursor: string, shape: T): z.infer<T> {
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    return shape.parse(JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))));
  } catch {
    throw new ApiError("invalid_cursor", "`cursor` is not one this API gave out; start again without it.");
  }
}

/** Splits a `limit + 1` query result into the page and the cursor of its last row (null on the last page). */
export function paginate<T>(rows: T[], limit: number, cursorOf: (row: T) => CursorValues) {
  const items = rows.slice(0, limit);
  return { items, next_cursor: rows.length > limit ? encodeCursor(cursorOf(items[items.length - 1]!)) : null };
}
