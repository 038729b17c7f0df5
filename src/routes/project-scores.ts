// /api/projects/:project/score-configs (members read, admins write) and /api/projects/:project/scores: a member's
// annotations from the dashboard (source `annotation`, author the member), written at once through the consumer's write.
import { Hono } from "hono";
import { z } from "zod";
import { annotationBody, SCORE_LIMITS, scoreConfigInput, scoreConfigName } from "../../contract/scores.ts";
import { atLeast } from "../auth/access.ts";
import { projectAccess, projectD1, projectData } from "../auth/middleware.ts";
import { controlDb } from "../db/client.ts";
import { configView, projectScore, projectScoreConfigs } from "../db/queries/scores.ts";
import { findEvent, findTrace } from "../db/queries/trace-events.ts";
import { scoreConfigDelete, scoreConfigUpsert } from "../db/writes/score-configs.ts";
import { deleteScore, writeScores } from "../db/writes/scores.ts";
import type { AppEnv, ProjectAccess } from "../env.ts";
import { answer } from "../lib/answer.ts";
import { ApiError } from "../lib/errors.ts";
import { valid } from "../lib/validate.ts";
import { validateScores } from "../scores/validate.ts";
import { scoreView } from "../scores/views.ts";

/**
 * A member changes and deletes only their own annotations (the member's id, returned here); an admin, or the project's
 * secret key (its owner system, which may delete any of its data), any score (undefined).
 */
const ownAnnotationsOnly = (access: ProjectAccess, userId: string | undefined) =>
  access.via === "session" && !atLeast(access.role, "admin") ? (userId ?? "") : undefined;

/** A config's name in its path, decoded once by the router (a config named `a%b` is `/score-configs/a%25b`). */
const configPath = z.object({ name: scoreConfigName });

export const projectScoresRoute = new Hono<AppEnv>()
  .get("/:project/score-configs", projectAccess("viewer", "see score configs"), async (c) =>
    answer(c, "GET /api/projects/:project/score-configs", {
      configs: await projectScoreConfigs(controlDb(c.env.DB), c.var.project.projectId),
    }),
  )
  .put(
    "/:project/score-configs/:name",
    projectAccess("admin", "change score configs"),
    valid("param", configPath),
    valid("json", scoreConfigInput),
    async (c) => {
      const db = controlDb(c.env.DB);
      const { projectId } = c.var.project;
      const { name } = c.req.valid("param");
      const input = c.req.valid("json");
      if (input.kind === "numeric" && input.min != null && input.max != null && input.min > input.max)
        throw new ApiError("invalid_request", "`min` must not be above `max`.");
      const existing = await projectScoreConfigs(db, projectId);
      if (existing.length >= SCORE_LIMITS.maxConfigsPerProject && !existing.some((e) => e.name === name))
        throw new ApiError("conflict", `A project has at most ${SCORE_LIMITS.maxConfigsPerProject} score configs.`);
      const row = {
        projectId,
        name,
        kind: input.kind,
        min: input.kind === "numeric" ? (input.min ?? null) : null,
        max: input.kind === "numeric" ? (input.max ?? null) : null,
        categories: input.kind === "categorical" ? JSON.stringify([...new Set(input.categories)]) : null,
        description: input.description ?? null,
        updatedAt: Date.now(),
      };
      const [saved] = await scoreConfigUpsert(db, row);
      return answer(c, "PUT /api/projects/:project/score-configs/:name", { config: configView(saved!) });
    },
  )
  .delete("/:project/score-configs/:name", projectAccess("admin", "change score configs"), async (c) => {
    const [gone] = await scoreConfigDelete(controlDb(c.env.DB), c.var.project.projectId, c.req.param("name"));
    if (!gone) throw new ApiError("not_found", "No such score config.");
    return answer(c, "DELETE /api/projects/:project/score-configs/:name", { ok: true as const });
  })
  .post("/:project/scores", projectAccess("member", "annotate traces"), valid("json", annotationBody), async (c) => {
    const { projectId } = c.var.project;
    const input = c.req.valid("json");
    const onlyOwn = ownAnnotationsOnly(c.var.project, c.var.user?.id);
    const [trace, event, existing] = await Promise.all([
      findTrace(projectData(c), projectId, input.trace_id),
      input.event_id ? findEvent(projectData(c), projectId, input.trace_id, input.event_id) : null,
      onlyOwn && input.score_id ? projectScore(projectData(c), projectId, input.score_id) : undefined,
    ]);
    if (!trace) throw new ApiError("not_found", "No such trace.", { trace_id: input.trace_id });
    if (input.event_id && !event)
      throw new ApiError("not_found", "No such event in this trace.", {
        trace_id: input.trace_id,
        event_id: input.event_id,
      });
    if (existing && !(existing.authorKind === "member" && existing.authorId === onlyOwn))
      throw new ApiError("forbidden", "Members may change only their own annotations.", { score_id: input.score_id });
    const configs = await projectScoreConfigs(controlDb(c.env.DB), projectId);
    const author = c.var.user
      ? { kind: "member" as const, id: c.var.user.id }
      : { kind: "secret" as const, id: c.var.apiKey.id };
    const { scores: valid, rejected } = await validateScores([{ ...input, source: "annotation" }], author, configs);
    if (!valid.length) throw new ApiError("invalid_request", rejected[0]!.message, { rejected });
    // An author's annotation keeps one id per (trace, event, name, author) unless one is given.
    const score = { ...valid[0]!, score_id: input.score_id ?? `a_${valid[0]!.score_id.slice(2)}_${author.id}` };
    await writeScores(projectD1(c), [{ project_id: projectId, received_at: Date.now(), events: [], scores: [score] }]);
    const row = await projectScore(projectData(c), projectId, score.score_id);
    if (!row) throw new ApiError("not_found", "No such score.");
    return answer(c, "POST /api/projects/:project/scores", { score: scoreView(row) }, 201);
  })
  .delete("/:project/scores/:score_id", projectAccess("member", "delete annotations"), async (c) => {
    const { projectId } = c.var.project;
    const author = ownAnnotationsOnly(c.var.project, c.var.user?.id);
    const gone = await deleteScore(projectD1(c), projectId, c.req.param("score_id"), author);
    if (!gone) throw new ApiError("not_found", "No such score (members may delete only their own annotations).");
    return answer(c, "DELETE /api/projects/:project/scores/:score_id", { ok: true as const });
  });
