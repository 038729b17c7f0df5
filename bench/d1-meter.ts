// A D1 binding that sums what D1 reports for each statement it runs (meta.rows_read, meta.rows_written), per SQL text:
// bench:d1-rows reads the rows a write or a deletion costs from it. first() and raw() answer without meta, so they are
// only counted as statements.
export type StatementRows = {
  statements: number;
  rowsRead: number;
  rowsWritten: number;
  metered: boolean;
  /** Characters of text in the rows answered (all(), and raw() answered through it): what moved and was parsed. */
  textChars: number;
};
export type Meter = Record<string, StatementRows>;

/** The sums of one SQL text in `meter`, started at zero. */
function entry(meter: Meter, sql: string) {
  meter[sql] ??= { statements: 0, rowsRead: 0, rowsWritten: 0, metered: true, textChars: 0 };
  return meter[sql];
}

/**
 * Which raw() statements to answer through all() so that their rows are metered too (raw() has no meta): statements
 * whose SELECT names no column twice (all() keeps one of each name), e.g. the metric reads (src/db/queries/metrics.ts).
 */
export type RawThroughAll = (sql: string) => boolean;

/** `d1` with every statement's rows summed into `meter`. */
export function meteredD1(d1: D1Database, meter: Meter, rawThroughAll: RawThroughAll = () => false): D1Database {
  const sqlOf = new WeakMap<object, string>();
  const inner = new WeakMap<object, D1PreparedStatement>();
  const count = (sql: string, meta?: D1Meta, results?: unknown[]) => {
    const m = entry(meter, sql);
    m.statements += 1;
    if (!meta) m.metered = false;
    m.rowsRead += meta?.rows_read ?? 0;
    m.rowsWritten += meta?.rows_written ?? 0;
    for (const row of results ?? [])
      for (const v of Object.values(row as object)) if (typeof v === "string") m.textChars += v.length;
  };
  const wrap = (sql: string, s: D1PreparedStatement): D1PreparedStatement => {
    const metered = {
      bind: (...values: unknown[]) => wrap(sql, s.bind(...values)),
      run: async () => {
        const r = await s.run();
        count(sql, r.meta);
        return r;
      },
      all: async () => {
        const r = await s.all();
        count(sql, r.meta, r.results);
        return r;
      },
      first: async (column?: string) => {
        count(sql);
        return column === undefined ? s.first() : s.first(column);
      },
      raw: async (options?: { columnNames?: boolean }) => {
        if (!rawThroughAll(sql)) {
          count(sql);
          return s.raw(options as { columnNames: true });
        }
        // Answered through all() (which has meta): the rows as arrays in the objects' key order, the names first.
        const r = await s.all<Record<string, unknown>>();
        count(sql, r.meta, r.results);
        const names = r.results[0] ? Object.keys(r.results[0]) : [];
        const rows = r.results.map((o) => names.map((n) => o[n]));
        return options?.columnNames ? [names, ...rows] : rows;
      },
    } as unknown as D1PreparedStatement;
    sqlOf.set(metered, sql);
    inner.set(metered, s);
    return metered;
  };
  return {
    prepare: (sql: string) => wrap(sql, d1.prepare(sql)),
    batch: async (statements: D1PreparedStatement[]) => {
      const results = await d1.batch(statements.map((s) => inner.get(s) ?? s));
      results.forEach((r, i) => {
        count(sqlOf.get(statements[i]!) ?? "?", r.meta);
      });
      return results;
    },
    exec: (sql: string) => d1.exec(sql),
    withSession: (...args: Parameters<D1Database["withSession"]>) => d1.withSession(...args),
    dump: () => d1.dump(),
  } as unknown as D1Database;
}

/** The bindings of `env` with every D1 database metered, DB apart from the data databases (DATA_0 is DB's database). */
export function meteredEnv<E extends object>(env: E, rawThroughAll?: RawThroughAll) {
  const meters = { control: {} as Meter, data: {} as Meter };
  const bound = env as unknown as Record<string, unknown>;
  const metered: Record<string, unknown> = { ...bound };
  for (const [name, value] of Object.entries(bound))
    if (name === "DB" || /^DATA_\d+$/.test(name))
      metered[name] = meteredD1(value as D1Database, name === "DB" ? meters.control : meters.data, rawThroughAll);
  return { env: metered as E, meters };
}

/** Adds `more` into `into`. */
export function mergeMeter(into: Meter, more: Meter) {
  for (const [sql, m] of Object.entries(more)) {
    const sum = entry(into, sql);
    sum.statements += m.statements;
    sum.rowsRead += m.rowsRead;
    sum.rowsWritten += m.rowsWritten;
    sum.textChars += m.textChars;
    sum.metered &&= m.metered;
  }
}
