// One breakdown of the costs page (by model, user or project): cost with its unpriced calls, calls and tokens; a
// model's row lists the names it was sent as when several matched its price.
import type { CostGroupRow } from "../../contract/costs.ts";
import { cost, tokens } from "../lib/format.ts";
import { type Column, Table } from "./Table.tsx";

type Props = {
  title: string;
  rows: CostGroupRow[];
  label: (key: CostGroupRow["key"]) => string;
  testId?: string;
};

const aliases = (g: CostGroupRow) => (g.models ?? []).filter((m) => m !== g.key);

export function CostBreakdown({ title, rows, label, testId }: Props) {
  const what = title.replace("By ", "");
  const columns: Array<Column<CostGroupRow>> = [
    {
      label: what[0]!.toUpperCase() + what.slice(1),
      title: (g) => [label(g.key), ...aliases(g).map((m) => `sent as ${m}`)].join("\n"),
      cell: (g) => (
        <>
          {label(g.key)}
          {aliases(g).length > 0 && <span class="names">as {g.models!.join(", ")}</span>}
        </>
      ),
    },
    {
      label: "Cost",
      width: "8.5rem",
      numeric: true,
      // Unpriced calls are unknown, not free: "no price", or the priced part and how many were not.
      cell: (g) =>
        !g.unpriced_calls ? (
          cost(g.cost)
        ) : g.unpriced_calls >= g.calls ? (
          "no price"
        ) : (
          <>
            {cost(g.cost)}
            <span class="names">+ {g.unpriced_calls} unpriced</span>
          </>
        ),
      title: (g) => (g.unpriced_calls ? `${g.unpriced_calls} of ${g.calls} call(s) have no price` : null),
    },
    { label: "Calls", width: "4.6rem", numeric: true, cell: (g) => g.calls },
    {
      label: "Tokens in / out",
      width: "9.2rem",
      numeric: true,
      priority: 3,
      cell: (g) => `${tokens(g.input_tokens)} / ${tokens(g.output_tokens)}`,
    },
  ];
  return (
    <div>
      <h2>{title}</h2>
      <Table testId={testId} columns={columns} rows={rows} rowKey={(g) => String(g.key ?? "")} />
    </div>
  );
}
