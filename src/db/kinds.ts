// Which kind of database a table lives in, as a type the compiler checks: a statement on a control-plane table through
// a data handle (or the reverse) fails `npm run typecheck` instead of finding nothing at run time (client.ts).
import type { SQLiteTable } from "drizzle-orm/sqlite-core";

export type DatabaseKind = "control" | "data";

declare const kindOf: unique symbol;

/** A table (or handle) of kind K; `jobs` carries both kinds, each database keeping its own jobs. */
export type Kinded<K extends DatabaseKind> = { readonly [kindOf]: Record<K, true> };

/** A control-plane table: users, orgs, projects, keys, prices, alerts, usage, share links, audit log. */
export const control = <T extends SQLiteTable>(table: T) => table as T & Kinded<"control">;

/** A data table: events, event parts, trace summaries, search, rollups, scores. */
export const data = <T extends SQLiteTable>(table: T) => table as T & Kinded<"data">;

/** A table every database has (`jobs`). */
export const both = <T extends SQLiteTable>(table: T) => table as T & Kinded<"control"> & Kinded<"data">;
