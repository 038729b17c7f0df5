// /api/v1/metrics: a project's counts, errors, tokens, cost and latency percentiles over time, grouped and filtered,
// and (view=scores) its scores per name over time (secret key or dashboard session).
import { Hono } from "hono";
import { projectAccess, projectD1 } from "../auth/middleware.ts";
import type { AppEnv } from "../env.ts";
import { answer } from "../lib/answer.ts";
import { metricsParams } from "../metrics/params.ts";
import { projectScoreMetrics, scoreMetricsParams } from "../metrics/scores.ts";
import { projectMetrics } from "../metrics/series.ts";

export const metricsRoute = new Hono<AppEnv>().get("/", projectAccess("viewer", "read metrics"), async (c) => {
  const query = c.req.queries();
  if (query.view?.at(-1) === "scores")
    return answer(
      c,
      "GET /api/v1/metrics?view=scores",
      await projectScoreMetrics(projectD1(c), c.var.project.projectId, scoreMetricsParams(query)),
    );
  return answer(
    c,
    "GET /api/v1/metrics",
    await projectMetrics(projectD1(c), c.var.project.projectId, metricsParams(query)),
  );
});
