// /api/v1/traces: the trace list, one trace as a tree, one event, exports and compare. Secret key or session.
import { type Context, Hono } from "hono";
import { etag } from "hono/etag";
import { compareParams, traceExportParams, traceListParams, traceViewParams } from "../../contract/trace-query.ts";
import type { TraceAnswer, TraceColumnsAnswer } from "../../contract/traces.ts";
import { projectAccess, projectData } from "../auth/middleware.ts";
import { readBodies, readBody } from "../db/bodies.ts";
import type { DataDb } from "../db/client.ts";
import { scoreColumns } from "../db/queries/score-filter.ts";
import { traceScoresQuery, traceScoresVersion } from "../db/queries/scores.ts";
import {
  findEvent,
  findTrace,
  fullEventsQuery,
  treeDetail,
  treeEventsByIdQuery,
  treeEventsQuery,
  treeLinks,
} from "../db/queries/trace-events.ts";
import { traceCursor, traceListQuery } from "../db/queries/trace-list.ts";
import type { TraceRow } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { answer } from "../lib/answer.ts";
import { storedId } from "../lib/bounded-id.ts";
import { paginate } from "../lib/cursor.ts";
import { ApiError } from "../lib/errors.ts";
import { valid } from "../lib/validate.ts";
import { VERSION } from "../lib/version.ts";
import { scoreView } from "../scores/views.ts";
import { traceAnswerText } from "../traces/cache.ts";
import { treeColumnsView, treeHead, treeHeadColumnsView } from "../traces/columns.ts";
import { compareTraces } from "../traces/compare.ts";
import { traceHar, traceJson } from "../traces/export.ts";
import { buildTree } from "../traces/tree.ts";
import { fullEventView, traceSummary, treeEventView } from "../traces/views.ts";
import { deleteFromProject } from "./deletions.ts";

async function requireTrace(db: DataDb, projectId: string, id: string) {
  const trace = await findTrace(db, projectId, id);
  if (!trace) throw new ApiError("not_found", "No such trace.", { trace_id: id });
  return trace;
}

/** A trace's events as a depth-first tree. */
async function traceTree(db: DataDb, trace: TraceRow, detail = treeDetail(trace.spanCount)) {
  const rows = await treeEventsQuery(db, trace.projectId, trace.traceId, detail);
  return { trace: traceSummary(trace), tree: buildTree(rows) };
}

/** A trace's version: its summary changes whenever an event of it is written. */
const traceTag = (t: { traceId: string; updatedAt: number; spanCount: number }, variant: string) =>
  `"${encodeURIComponent(t.traceId)}.${t.updatedAt}.${t.spanCount}.${variant}"`;

/** Sets the trace's ETag and tells whether the client already has this version (answer 304 before reading events). */
function fresh(c: Context<AppEnv>, tag: string) {
  c.header("ETag", tag);
  c.header("Cache-Control", "private, no-cache");
  return (
    c.req
      .header("If-None-Match")
      ?.split(/\s*,\s*/)
      .includes(tag) ?? false
  );
}

const attachment = (id: string, extension: string) =>
  `attachment; filename="watchllm-trace-${id.replace(/[^\w.-]/g, "_")}.${extension}"`;

export const tracesRoute = new Hono<AppEnv>()
  .use(projectAccess("viewer", "read traces"), etag())
  .get("/", valid("query", traceListParams), async (c) => {
    const params = c.req.valid("query");
    const db = projectData(c);
    const rows = await traceListQuery(db, c.var.project.projectId, params);
    const page = paginate(rows, params.limit, (t) => traceCursor(t, params.sort));
    const names = params.score_columns ?? [];
    const cells = await scoreColumns(
      db,
      c.var.project.projectId,
      page.items.map((t) => t.traceId),
      names,
    );
    const withScores = (t: TraceRow) =>
      names.length ? { ...traceSummary(t), scores: cells.get(t.traceId) ?? {} } : traceSummary(t);
    return answer(c, "GET /api/v1/traces", { traces: page.items.map(withScores), next_cursor: page.next_cursor });
  })
  .get("/compare", valid("query", compareParams), async (c) => {
    const { a, b } = c.req.valid("query");
    const db = projectData(c);
    const { projectId } = c.var.project;
    const [ta, tb] = await Promise.all([requireTrace(db, projectId, a), requireTrace(db, projectId, b)]);
    const light = { inlineBytes: 0, previews: false };
    const [left, right] = await Promise.all([traceTree(db, ta, light), traceTree(db, tb, light)]);
    return answer(c, "GET /api/v1/traces/compare", compareTraces(left, right));
  })
  // `?format=columns`: the same tree as one array per field (TraceColumnsAnswer), what the dashboard reads.
  .get("/:trace_id", valid("query", traceViewParams), async (c) => {
    const db = projectData(c);
    const { format, head } = c.req.valid("query");
    const { projectId } = c.var.project;
    const traceId = await storedId(c.req.param("trace_id"));
    // Scores change without the summary: their count and last write are part of the version. Read beside the summary
    // (one round trip to D1, not two: a trace page's first screen waits on this).
    const [row, scoresVersion] = await Promise.all([
      requireTrace(db, projectId, traceId),
      traceScoresVersion(db, projectId, traceId),
    ]);
    const kind = format !== "columns" ? "tree" : head ? `head${head}` : "columns";
    const variant = `${kind}.${scoresVersion}`;
    if (fresh(c, traceTag(row, variant))) return c.body(null, 304);
    const text = await traceAnswerText(c, row, variant, async () => {
      const scores = traceScoresQuery(db, row.projectId, row.traceId).then((s) => s.map(scoreView));
      if (format === "columns" && head) {
        // A first screen: every event's links (id, time, parent: a few texts) place the tree; only its first rows are
        // read whole.
        const first = treeHead(await treeLinks(db, row.projectId, row.traceId), head);
        const rows = treeEventsByIdQuery(db, row.projectId, row.traceId, first.ids, treeDetail(row.spanCount)).values();
        const [values, scoreViews] = await Promise.all([rows, scores]);
        return {
          trace: traceSummary(row),
          columns: treeHeadColumnsView(first, values),
          scores: scoreViews,
        } satisfies TraceColumnsAnswer;
      }
      if (format === "columns") {
        const rows = treeEventsQuery(db, row.projectId, row.traceId, treeDetail(row.spanCount)).values();
        const [values, scoreViews] = await Promise.all([rows, scores]);
        return {
          trace: traceSummary(row),
          columns: treeColumnsView(values),
          scores: scoreViews,
        } satisfies TraceColumnsAnswer;
      }
      const [{ trace, tree }, scoreViews] = await Promise.all([traceTree(db, row), scores]);
      return { trace, events: tree.map(treeEventView), scores: scoreViews } satisfies TraceAnswer;
    });
    return c.body(text, 200, { "Content-Type": "application/json" });
  })
  // Deletes the trace with its bodies, search rows and its share of the cost rollups (admin or secret key).
  .delete("/:trace_id", async (c) => {
    const traceId = await storedId(c.req.param("trace_id"));
    await requireTrace(projectData(c), c.var.project.projectId, traceId);
    return deleteFromProject(c, "trace", traceId);
  })
  .get("/:trace_id/events/:event_id", async (c) => {
    const row = await findEvent(
      projectData(c),
      c.var.project.projectId,
      await storedId(c.req.param("trace_id")),
      await storedId(c.req.param("event_id")),
    );
    if (!row) throw new ApiError("not_found", "No such event in this trace.");
    return answer(c, "GET /api/v1/traces/:trace_id/events/:event_id", {
      event: fullEventView(row, await readBody(c.env.BODIES, row)),
    });
  })
  .get("/:trace_id/export", valid("query", traceExportParams), async (c) => {
    const db = projectData(c);
    const { projectId } = c.var.project;
    const id = await storedId(c.req.param("trace_id"));
    const { format } = c.req.valid("query");
    const row = await requireTrace(db, projectId, id);
    const variant = `${format}.${await traceScoresVersion(db, projectId, id)}`;
    if (fresh(c, traceTag(row, variant))) return c.body(null, 304);
    c.header("Content-Disposition", attachment(id, format));
    const text = await traceAnswerText(c, row, variant, async () => {
      const trace = traceSummary(row);
      const [rows, scoreRows] = await Promise.all([
        fullEventsQuery(db, projectId, id),
        traceScoresQuery(db, projectId, id),
      ]);
      const bodies = await readBodies(c.env.BODIES, rows);
      const events = rows.map((row, i) => fullEventView(row, bodies[i]!));
      const scores = scoreRows.map(scoreView);
      return format === "har" ? traceHar(trace, events, VERSION, scores) : traceJson(trace, events, scores);
    });
    return c.body(text, 200, { "Content-Type": "application/json" });
  });
