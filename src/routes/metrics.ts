// /api/v1/metrics: a project's counts, errors, tokens, cost and latency percentiles over time, grouped and filtered,
// and (view=scores) its scores per name over time (secret key or dashboard session).
import { Hono } from "hono";
import type { MetricsAnswer } from "../../contract/metrics.ts";
import { projectAccess, projectD1 } from "../auth/middleware.ts";
import type { AppEnv } from "../env.ts";
import { metricsParams } from "../metrics/params.ts";
import { projectScoreMetrics, scoreMetricsParams } from "../metrics/scores.ts";
import { projectMetrics } from "../metrics/series.ts";

export const metricsRoute = new Hono<AppEnv>().get("/", projectAccess("viewer", "read metrics"), async (c) => {
  const query = c.req.queries();
  if (query.view?.at(-1) === "scores")
    return c.json(await projectScoreMetrics(projectD1(c), c.var.project.projectId, scoreMetricsParams(query)));
  const answer: MetricsAnswer = await projectMetrics(projectD1(c), c.var.project.projectId, metricsParams(query));
  return c.json(answer);
});
