// `npm run bench:costs [traces]`: cost reports over 30 days of 1,000,000 events, from the hourly rollups through the
// Worker under `wrangler dev`, beside the same SQL and a raw GROUP BY over the events on plain SQLite.

import { costParams } from "../contract/costs.ts";
import { freePort, startDevServer } from "../scripts/dev-server.ts";
import { dataDb } from "../src/db/client.ts";
import { costQuery, costTotalsQuery, unknownModelsQuery } from "../src/db/queries/costs.ts";
import { DATASET_START, PROJECT, prepareDataset } from "./dataset.ts";
import { compare, printTable } from "./timing.ts";

const TRACES = Number(process.argv[2] ?? 100_000);
const { state, secretKey, plain } = await prepareDataset(TRACES);

const range = { from: String(DATASET_START), to: String(DATASET_START + 30 * 86_400_000) };
const sqlOnly = dataDb({} as D1Database); // builds SQL text only; never executes
/** The four statements GET /api/v1/costs runs. */
const reportSql = (group_by: string) => {
  const p = costParams.parse({ ...range, group_by });
  const series = group_by === "day" ? [] : [costQuery(sqlOnly, [PROJECT], p, true).toSQL()];
  return [
    costQuery(sqlOnly, [PROJECT], p, false).toSQL(),
    ...series,
    costTotalsQuery(sqlOnly, [PROJECT], p).toSQL(),
    unknownModelsQuery(sqlOnly, [PROJECT], p).toSQL(),
  ];
};
const rawGroupBy = (key: string) => [
  {
    sql: `SELECT ${key} AS k, total(cost_usd), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens), count(*)
    FROM events WHERE project_id = ? AND type = 'model_response' AND ts >= ? AND ts < ? GROUP BY k ORDER BY 2 DESC`,
    params: [PROJECT, Number(range.from), Number(range.to)],
  },
];
const cases = [
  {
    name: "30 days by model (+ daily series)",
    path: `/api/v1/costs?${new URLSearchParams({ ...range, group_by: "model" })}`,
    sql: reportSql("model"),
  },
  { name: "raw GROUP BY model over the events (plain SQLite)", path: "", sql: rawGroupBy("model") },
  {
    name: "30 days by day",
    path: `/api/v1/costs?${new URLSearchParams({ ...range, group_by: "day" })}`,
    sql: reportSql("day"),
  },
  { name: "raw GROUP BY day over the events (plain SQLite)", path: "", sql: rawGroupBy("(ts / 86400000) * 86400000") },
];

const server = await startDevServer({ port: await freePort(), persistTo: state, quiet: !process.env.VERBOSE });
try {
  printTable(await compare(server.base, secretKey, plain, cases), "costs API");
} finally {
  await server.stop();
}
