// Every data table of the dashboard: fixed layout so it never grows wider than its box; columns declare a width (or
// share what is left), a priority (the narrow box drops priority 3 first, then 2) and what a truncated cell shows in
// its tooltip. Horizontal scrolling is left as a phone's last resort.
import type { ComponentChildren } from "preact";

export type Column<R> = {
  /** Header text (also the tooltip of a cut header). */
  label: string;
  /** Header content when it is more than the label. */
  header?: ComponentChildren;
  cell: (row: R) => ComponentChildren;
  /** The full text of a cell that may be cut with an ellipsis. */
  title?: (row: R) => string | null | undefined;
  /** CSS width, e.g. "6rem"; columns without one (or `fit`) share the rest. */
  width?: string;
  /** A width that follows the content: the longest `text` of the rows (or the label) in `ch`, within min…max. */
  fit?: { text: (row: R) => string; min?: number; max?: number };
  /** 1 (default) always shown; 2 hidden in a phone-sized box; 3 hidden below about 720 px. */
  priority?: 1 | 2 | 3;
  /** Numbers align right. */
  numeric?: boolean;
  /** Content that may wrap onto several lines instead of being cut. */
  wrap?: boolean;
  class?: string;
};

type Props<R> = {
  columns: Array<Column<R> | false | null | undefined>;
  rows: R[];
  rowKey: (row: R) => string;
  rowProps?: (row: R) => { class?: string } & Record<`data-${string}`, string>;
  testId?: string;
  class?: string;
  caption?: string;
};

export function Table<R>({ columns, rows, rowKey, rowProps, testId, class: cls, caption }: Props<R>) {
  const shown = columns.filter((c): c is Column<R> => Boolean(c));
  // A fitted column is its longest text plus the cell's padding (a border-box width: without it, "$0.0213" was cut).
  const widthOf = (c: Column<R>) => {
    if (!c.fit) return c.width;
    const { text, min = 4, max = 30 } = c.fit;
    const longest = rows.reduce((n, row) => Math.max(n, text(row).length), c.label.length);
    return `calc(${Math.min(max, Math.max(min, longest + 1))}ch + 1.5rem)`;
  };
  const classOf = (c: Column<R>) =>
    [`p${c.priority ?? 1}`, c.numeric && "num", c.wrap && "wrap", c.class].filter(Boolean).join(" ");
  return (
    <div class="table-wrap">
      <table class={cls} data-testid={testId}>
        {caption && <caption class="sr-only">{caption}</caption>}
        <thead>
          <tr>
            {shown.map((c) => (
              <th
                key={c.label}
                class={classOf(c)}
                style={widthOf(c) ? { width: widthOf(c) } : undefined}
                title={c.label}
              >
                {c.header ?? c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowProps?.(row)}>
              {shown.map((c) => (
                <td key={c.label} class={classOf(c)} title={c.title?.(row) ?? undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
