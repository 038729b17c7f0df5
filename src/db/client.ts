// The two kinds of drizzle handle. `ControlDb` (binding DB) and `DataDb` (a project's data database, from its placement:
// shards.ts) are different types, and each takes only its own kind's tables in `select … from`, `insert`, `update` and
// `delete` (kinds.ts), so a statement sent to the wrong database fails `npm run typecheck`. Raw `sql` passed to
// `run`/`all` is not checked: keep it in src/db/ beside the handle it names.
import type { SQL, Subquery } from "drizzle-orm";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import type { GetSelectTableName, GetSelectTableSelection } from "drizzle-orm/query-builders/select.types";
import type {
  CreateSQLiteSelectFromBuilderMode,
  SelectedFields,
  SQLiteDeleteBase,
  SQLiteInsertBuilder,
  SQLiteTable,
  SQLiteUpdateBuilder,
} from "drizzle-orm/sqlite-core";
import * as controlSchema from "./control-schema.ts";
import * as dataSchema from "./data-schema.ts";
import type { DatabaseKind, Kinded } from "./kinds.ts";

type Table<K extends DatabaseKind> = SQLiteTable & Kinded<K>;

/** `select(...)` whose `from` takes only tables of kind K (or a subquery or SQL). */
type Select<S extends SelectedFields | undefined, K extends DatabaseKind> = {
  from<F extends Table<K> | Subquery | SQL>(
    source: F,
  ): CreateSQLiteSelectFromBuilderMode<
    "db",
    GetSelectTableName<F>,
    "async",
    D1Result,
    S extends undefined ? GetSelectTableSelection<F> : S,
    S extends undefined ? "single" : "partial"
  >;
};

type Handle<S extends Record<string, unknown>, K extends DatabaseKind> = Omit<
  DrizzleD1Database<S>,
  "select" | "selectDistinct" | "insert" | "update" | "delete" | "$count" | "with" | "$with"
> &
  Kinded<K> & {
    $client: D1Database;
    select(): Select<undefined, K>;
    select<F extends SelectedFields>(fields: F): Select<F, K>;
    insert<T extends Table<K>>(into: T): SQLiteInsertBuilder<T, "async", D1Result>;
    update<T extends Table<K>>(table: T): SQLiteUpdateBuilder<T, "async", D1Result>;
    delete<T extends Table<K>>(from: T): SQLiteDeleteBase<T, "async", D1Result>;
  };

/** The control plane (binding DB): users, orgs, projects, keys, prices, alerts, usage, jobs. */
export type ControlDb = Handle<typeof controlSchema, "control">;

/** One data database: a project's events, parts, summaries, search, rollups, scores, and that database's jobs. */
export type DataDb = Handle<typeof dataSchema, "data">;

/** A database of either kind, for the tables every database has (`jobs`): its handle takes only those. */
export type JobsDb = Handle<Record<string, unknown>, DatabaseKind>;
export type EitherDb = ControlDb | DataDb | JobsDb;
export const eitherKind = (db: EitherDb) => db as unknown as JobsDb;

/** The control plane's handle for a request or queue batch (cheap: it wraps the binding). */
export const controlDb = (d1: D1Database) => drizzle(d1, { schema: controlSchema }) as unknown as ControlDb;

/** A handle on the jobs of a database of either kind (the scheduled handler walks them all). */
export const jobsDb = (d1: D1Database) => drizzle(d1) as unknown as JobsDb;

/** A data database's handle; take the D1 from shards.ts (the project's placement), never from a request. */
export const dataDb = (d1: D1Database) => drizzle(d1, { schema: dataSchema }) as unknown as DataDb;
