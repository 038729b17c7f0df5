import { DatabaseSync } from "node:sqlite";
import { drizzle } from "drizzle-orm/sqlite-proxy";
import { groupListParams, traceListParams } from "../contract/trace-query.ts";
import { groupQuery } from "../src/db/queries/trace-groups.ts";
import { traceListQuery } from "../src/db/queries/trace-list.ts";
import { rng } from "./generate.ts";

const N = Number(process.argv[2] ?? 100_000);
const db = new DatabaseSync(":memory:");
db.exec(`CREATE TABLE traces (project_id text NOT NULL, trace_id text NOT NULL, start_ts integer NOT NULL, end_ts integer NOT NULL,
 duration_ms real NOT NULL, span_count integer NOT NULL, error_count integer NOT NULL, status text NOT NULL, root_event_id text NOT NULL,
 root_name text NOT NULL, root_ts integer NOT NULL, root_rank integer NOT NULL, models text DEFAULT '[]' NOT NULL, tags text DEFAULT '[]' NOT NULL,
 input_tokens integer DEFAULT 0 NOT NULL, output_tokens integer DEFAULT 0 NOT NULL, cached_input_tokens integer DEFAULT 0 NOT NULL,
 total_tokens integer DEFAULT 0 NOT NULL, total_cost real DEFAULT 0 NOT NULL, model_calls integer DEFAULT 0 NOT NULL, user_id text, session_id text,
 updated_at integer NOT NULL, PRIMARY KEY(project_id, trace_id)) WITHOUT ROWID;
 CREATE INDEX traces_project_start ON traces (project_id, start_ts, trace_id);
 CREATE INDEX traces_project_user ON traces (project_id, user_id, start_ts) WHERE user_id IS NOT NULL;`);
const rand = rng(7);
const ins = db.prepare(
  `INSERT INTO traces VALUES ('prj_a', ?, ?, ?, 1000, 10, 0, 'ok', 'r', 'support-agent', ?, 1, '["gpt-4o"]', '["bench"]', 100, 50, 0, 150, 0.01, 4, ?, ?, 0)`,
);
const t0 = 1_764_000_000_000;
db.exec("BEGIN");
for (let i = 0; i < N; i++) {
  const ts = t0 + Math.floor((i / N) * 30 * 86_400_000);
  ins.run(
    `bench-${i.toString(36)}`,
    ts,
    ts + 1000,
    ts,
    `user-${Math.floor(rand() * 500)}`,
    `session-${Math.floor(rand() * 5000)}`,
  );
}
db.exec("COMMIT");
const proxy = drizzle(async () => ({ rows: [] }));
const sqlOf = (q: { toSQL: () => { sql: string; params: unknown[] } }) => q.toSQL();
const cases = {
  "sessions list, first page": sqlOf(groupQuery(proxy as never, "prj_a", "session", groupListParams.parse({}))),
  "sessions list, 7-day range": sqlOf(
    groupQuery(
      proxy as never,
      "prj_a",
      "session",
      groupListParams.parse({ from: String(t0), to: String(t0 + 7 * 86_400_000) }),
    ),
  ),
  "one session (detail)": sqlOf(
    groupQuery(proxy as never, "prj_a", "session", { ...groupListParams.parse({}), id: "session-42" }),
  ),
  "trace list filtered by session": sqlOf(
    traceListQuery(proxy as never, "prj_a", traceListParams.parse({ session_id: "session-42" })),
  ),
  "trace list by session, 7-day range": sqlOf(
    traceListQuery(
      proxy as never,
      "prj_a",
      traceListParams.parse({ session_id: "session-42", from: String(t0), to: String(t0 + 7 * 86_400_000) }),
    ),
  ),
};
function measure(label: string) {
  for (const [name, q] of Object.entries(cases)) {
    const st = db.prepare(q.sql);
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
      .all(...(q.params as never[]))
      .map((r) => (r as { detail: string }).detail);
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const s = performance.now();
      st.all(...(q.params as never[]));
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    console.log(`${label} | ${name} | ${times[3]!.toFixed(1)} ms | ${plan.join("; ")}`);
  }
}
measure("no session index");
db.exec(
  "CREATE INDEX traces_project_session ON traces (project_id, session_id, start_ts) WHERE session_id IS NOT NULL",
);
measure("with session index");
