// `npm run bench:api [traces] [filter]`: the trace API's reads over 100,000 traces / 1,000,000 events in local D1, through
// the real Worker under `wrangler dev`, beside the same SQL on plain SQLite (node:sqlite) over a copy of the file.

import { traceListParams } from "../contract/trace-query.ts";
import { freePort, startDevServer } from "../scripts/dev-server.ts";
import { dataDb } from "../src/db/client.ts";
import { traceQuery, treeDetail, treeEventsQuery, treeLinksQuery } from "../src/db/queries/trace-events.ts";
import { traceListQuery } from "../src/db/queries/trace-list.ts";
import { bigTraceId, DATASET_START, PROJECT, prepareDataset } from "./dataset.ts";
import { compare, printTable } from "./timing.ts";

const TRACES = Number(process.argv[2] ?? 100_000);
/** Only the reads whose name has this text (e.g. `tree`), plus the HTTP floor. */
const FILTER = process.argv[3] ?? "";

const { state, secretKey, plain } = await prepareDataset(TRACES);

// The reads, each as an API request and as the SQL that request runs.
const from = DATASET_START + 10 * 86_400_000;
const to = from + 3 * 86_400_000;
const sqlOnly = dataDb({} as D1Database); // builds SQL text only; never executes
const listSql = (query: Record<string, string>) => [
  traceListQuery(sqlOnly, PROJECT, traceListParams.parse(query)).toSQL(),
];
const treeSql = (traceId: string, spans: number) => [
  traceQuery(sqlOnly, PROJECT, traceId).toSQL(),
  treeEventsQuery(sqlOnly, PROJECT, traceId, treeDetail(spans)).toSQL(),
];
const filtered = { status: "ok", model: "gpt-4o", from: String(from), to: String(to) };
const cases = [
  { name: "HTTP floor: GET /api/health (no D1)", path: "/api/health", sql: [] },
  { name: "list, first page (50)", path: "/api/v1/traces", sql: listSql({}) },
  {
    name: "list, status + model + time range",
    path: `/api/v1/traces?${new URLSearchParams(filtered)}`,
    sql: listSql(filtered),
  },
  {
    name: "list, q = a rare word (one ticket number)",
    path: `/api/v1/traces?q=${TRACES - 17}`,
    sql: listSql({ q: String(TRACES - 17) }),
  },
  { name: "list, q = a word in every trace", path: "/api/v1/traces?q=latency", sql: listSql({ q: "latency" }) },
  // Since migration 0025 only the start-time sort has an index (docs/SCALING.md §2.4): the others sort the range.
  { name: "list, sorted by cost (all traces)", path: "/api/v1/traces?sort=cost", sql: listSql({ sort: "cost" }) },
  {
    name: "list, sorted by duration, time range",
    path: `/api/v1/traces?${new URLSearchParams({ sort: "duration", from: String(from), to: String(to) })}`,
    sql: listSql({ sort: "duration", from: String(from), to: String(to) }),
  },
  // Finished traces come from the Cache API (HIT); `Cache-Control: no-cache` makes every request a MISS (D1 read).
  // `?format=columns` (what the dashboard reads) beside the default answer of one object per event.
  ...[1_000, 10_000].flatMap((spans) =>
    ["", "?format=columns"].flatMap((format) => [
      {
        name: `trace tree${format && " as columns"}, ${spans.toLocaleString("en-US")} spans, cache miss`,
        path: `/api/v1/traces/${bigTraceId(spans)}${format}`,
        sql: treeSql(bigTraceId(spans), spans),
        headers: { "Cache-Control": "no-cache" },
      },
      {
        name: `trace tree${format && " as columns"}, ${spans.toLocaleString("en-US")} spans, cache hit`,
        path: `/api/v1/traces/${bigTraceId(spans)}${format}`,
        sql: treeSql(bigTraceId(spans), spans),
      },
    ]),
  ),
  // The trace page's first screen (what a deep link waits for): the first 60 rows in the tree's order, placed by
  // every event's links. The SQL column is the summary and the links (the 60 rows by id are not in it).
  ...[1_000, 10_000].flatMap((spans) =>
    (["miss", "hit"] as const).map((cache) => ({
      name: `trace tree, first screen (head=60), ${spans.toLocaleString("en-US")} spans, cache ${cache}`,
      path: `/api/v1/traces/${bigTraceId(spans)}?format=columns&head=60`,
      sql: [
        traceQuery(sqlOnly, PROJECT, bigTraceId(spans)).toSQL(),
        treeLinksQuery(sqlOnly, PROJECT, bigTraceId(spans)).toSQL(),
      ],
      headers: cache === "miss" ? { "Cache-Control": "no-cache" } : undefined,
    })),
  ),
];

const server = await startDevServer({ port: await freePort(), persistTo: state, quiet: !process.env.VERBOSE });
try {
  const chosen = cases.filter((c) => c.name.includes(FILTER) || c.path === "/api/health");
  printTable(await compare(server.base, secretKey, plain, chosen), "trace API");
} finally {
  await server.stop();
}
