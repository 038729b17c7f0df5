// `npm run db:move-project -- <project_id> <data database index> [--remote] [--url <base>] [--no-wait]`: moves one
// project's data to another data database (DATA_<n>). It records a `move` job in the control plane, which the
// scheduled handler runs in bounded steps (src/maintenance/move.ts: copy, switch the placement, wait for consumers,
// catch up, clean the source), and follows its progress. Resumable: run it again (or just let the Cron Trigger go on);
// an unfinished move of the project is picked up, not started twice, and a failed one is retried from where it
// stopped. Locally, with `npm start` running, it triggers the scheduled handler itself (`--url`, default
// http://127.0.0.1:8787); deployed, the Cron Trigger runs every 5 minutes.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { moveJob } from "../src/maintenance/move.ts";
import { d1DatabaseIds, literal, WRANGLER_ENV } from "./local-d1.ts";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => (flag(name) ? args[args.indexOf(name) + 1] : undefined);
const [projectId, to] = args.filter((a, i) => !a.startsWith("--") && !args[i - 1]?.startsWith("--url"));
const remote = flag("--remote");
const base = option("--url") ?? (remote ? undefined : "http://127.0.0.1:8787");
const shards = Object.keys(d1DatabaseIds()).filter((b) => /^DATA_\d+$/.test(b)).length;

function fail(message: string): never {
  console.error(`db:move-project: ${message}`);
  process.exit(1);
}
if (!projectId || to === undefined || !/^\d+$/.test(to))
  fail("usage: npm run db:move-project -- <project_id> <data database index> [--remote] [--url <base>] [--no-wait]");
if (Number(to) >= shards)
  fail(`wrangler.toml has ${shards} data databases (DATA_0 … DATA_${shards - 1}), not DATA_${to}`);

function query<T>(sql: string): T[] {
  const out = execFileSync(
    "wrangler",
    ["d1", "execute", "DB", remote ? "--remote" : "--local", "--json", "--command", sql],
    { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...WRANGLER_ENV, CI: "true" } },
  ).toString();
  return (JSON.parse(out) as Array<{ results: T[] }>)[0]?.results ?? [];
}

const [project] = query<{ id: string; org_id: string; shard: number }>(
  `SELECT id, org_id, shard FROM projects WHERE id = ${literal(projectId)}`,
);
if (!project) fail(`no project ${projectId}`);
let [job] = query<{ id: string; status: string; progress: string; error: string | null }>(
  `SELECT id, status, progress, error FROM jobs WHERE kind = 'move' AND project_id = ${literal(projectId)}
   AND status IN ('pending', 'running', 'failed') ORDER BY created_at DESC LIMIT 1`,
);
if (job?.status === "failed") {
  // A failed move is retried from where it stopped (src/db/writes/jobs.ts retryJob does the same for deletions).
  console.log(`Retrying move ${job.id}, which failed: ${job.error}`);
  query(
    `UPDATE jobs SET status = 'pending', attempts = 0, retry_at = NULL, error = NULL, finished_at = NULL WHERE id = ${literal(job.id)}`,
  );
} else if (job) console.log(`Resuming move ${job.id} (${job.progress}).`);
else if (project.shard === Number(to)) {
  console.log(`${projectId} is already on DATA_${to}.`);
  process.exit(0);
} else {
  const id = `mov_${randomBytes(9).toString("base64url")}`;
  const row = moveJob(id, {
    project_id: projectId,
    org_id: project.org_id,
    from: project.shard,
    to: Number(to),
    actor: "cli",
  });
  query(
    `INSERT INTO jobs (id, kind, project_id, params, progress, status) VALUES (${[row.id, row.kind, row.projectId, row.params, row.progress, row.status].map(literal).join(", ")})`,
  );
  console.log(`Moving ${projectId} from DATA_${project.shard} to DATA_${to}: job ${id}.`);
  job = { id, status: row.status, progress: row.progress, error: null };
}
if (flag("--no-wait")) process.exit(0);

let last = "";
for (;;) {
  [job] = query<{ id: string; status: string; progress: string; error: string | null }>(
    `SELECT id, status, progress, error FROM jobs WHERE id = ${literal(job!.id)}`,
  );
  if (!job) fail("the job disappeared");
  const p = JSON.parse(job.progress) as { phase: string; copied: number };
  const line = `${job.status}: ${p.phase}, ${p.copied.toLocaleString("en-US")} events copied`;
  if (line !== last) console.log(line);
  last = line;
  if (job.status === "done") break;
  if (job.status === "failed") fail(`the move failed (${job.error}); run this again to retry it`);
  if (base) await fetch(`${base}/cdn-cgi/handler/scheduled?cron=*/5+*+*+*+*`).catch(() => undefined);
  await new Promise((r) => setTimeout(r, base ? 2_000 : 30_000));
}
console.log(`Done: ${projectId} lives on DATA_${to}.`);
