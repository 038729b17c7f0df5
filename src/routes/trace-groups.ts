// The shared shape of /api/v1/sessions and /api/v1/users: a list of groups with totals, and one group's traces.
import { Hono } from "hono";
import { etag } from "hono/etag";
import { groupListParams, groupScoreParams, groupTraceParams, traceListParams } from "../../contract/trace-query.ts";
import { projectAccess, projectData } from "../auth/middleware.ts";
import { groupListScoresQuery, groupScoresQuery } from "../db/queries/score-filter.ts";
import { type GroupBy, groupQuery } from "../db/queries/trace-groups.ts";
import { traceCursor, traceListQuery } from "../db/queries/trace-list.ts";
import type { AppEnv } from "../env.ts";
import { answer } from "../lib/answer.ts";
import { paginate } from "../lib/cursor.ts";
import { ApiError } from "../lib/errors.ts";
import { valid } from "../lib/validate.ts";
import { sessionView, traceSummary, userView } from "../traces/views.ts";

export function groupRoute(by: GroupBy) {
  const plural = `${by}s` as const;
  const param = `${by}_id` as const;
  return new Hono<AppEnv>()
    .use(projectAccess("viewer", `read ${plural}`), etag())
    .get("/", valid("query", groupListParams.extend(groupScoreParams)), async (c) => {
      const params = c.req.valid("query");
      const db = projectData(c);
      const rows = await groupQuery(db, c.var.project.projectId, by, params);
      const page = paginate(rows, params.limit, (g) => [g.lastSeen, g.id]);
      const ids = page.items.map((g) => g.id);
      const scores = await groupListScoresQuery(db, c.var.project.projectId, by, ids, {
        ...params,
        names: params.score_names,
      });
      const scored = <T>(view: (g: (typeof rows)[number]) => T) =>
        page.items.map((g) => ({ ...view(g), scores: scores.get(g.id) ?? [] }));
      const { next_cursor } = page;
      return by === "session"
        ? answer(c, "GET /api/v1/sessions", { sessions: scored(sessionView), next_cursor })
        : answer(c, "GET /api/v1/users", { users: scored(userView), next_cursor });
    })
    .get(`/:${param}`, valid("query", groupTraceParams), async (c) => {
      const db = projectData(c);
      const { projectId } = c.var.project;
      const id = c.req.param(param)!;
      const [group] = await groupQuery(db, projectId, by, { id, limit: 1 });
      if (!group) throw new ApiError("not_found", `No such ${by} in this project.`);
      // A session reads in order (oldest first); a user's activity newest first.
      const { limit, cursor } = c.req.valid("query");
      const list = traceListParams.parse({ [param]: id, limit, cursor, order: by === "session" ? "asc" : "desc" });
      const [rows, scores] = await Promise.all([
        traceListQuery(db, projectId, list),
        groupScoresQuery(db, projectId, by, id),
      ]);
      const page = paginate(rows, limit, (t) => traceCursor(t, list.sort));
      const traces = page.items.map(traceSummary);
      const { next_cursor } = page;
      return by === "session"
        ? answer(c, "GET /api/v1/sessions/:session_id", { session: sessionView(group), traces, next_cursor, scores })
        : answer(c, "GET /api/v1/users/:user_id", { user: userView(group), traces, next_cursor, scores });
    });
}
