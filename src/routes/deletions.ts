// Deletions on request through a project's API (one trace, or every event of one end user, for privacy requests)
// and /api/v1/deletions/:id, their status (`failed` with the error once its attempts are spent), and
// /api/v1/deletions/:id/retry, which resumes a failed one. A project's own deletion is under its org (org-data.ts).
import { type Context, Hono } from "hono";
import { etag } from "hono/etag";
import type { Deletion } from "../../contract/data.ts";
import { actorOf, requireDeleter } from "../auth/access.ts";
import { projectAccess, projectData } from "../auth/middleware.ts";
import { controlDb } from "../db/client.ts";
import { projectDeletion } from "../db/queries/deletions.ts";
import { liveShareTraces } from "../db/queries/shares.ts";
import { tracesWithUser } from "../db/queries/trace-events.ts";
import { sharesRevokeOfTraces } from "../db/writes/shares.ts";
import type { AppEnv } from "../env.ts";
import { answer } from "../lib/answer.ts";
import { ApiError } from "../lib/errors.ts";
import { deletionView, requestDeletion, retryDeletion } from "../maintenance/erase.ts";

/** Starts deleting a trace or an end user's data: 200 when done within the request, else 202 with where to poll. */
export async function deleteFromProject(c: Context<AppEnv>, kind: "trace" | "user", target: string) {
  const { projectId, orgId, shard } = c.var.project;
  requireDeleter(c.var.project, kind === "trace" ? "delete traces" : "delete end users' data");
  // Links to the traces being deleted are revoked with the request: an event arriving later under the same trace id
  // (a redelivery, a client's retry) must not bring a public link back to life.
  const control = controlDb(c.env.DB);
  const shared = await liveShareTraces(control, projectId);
  const gone =
    kind === "trace"
      ? shared.filter((t) => t === target)
      : await tracesWithUser(projectData(c), projectId, target, shared);
  const deletion = await requestDeletion(
    c.env,
    { kind, project_id: projectId, org_id: orgId, shard, target, actor: actorOf(c) },
    gone.length
      ? {
          alongside: [sharesRevokeOfTraces(control, projectId, gone)],
          details: { share_links_revoked_for_traces: gone.length },
        }
      : {},
  );
  const route = kind === "trace" ? "DELETE /api/v1/traces/:trace_id" : "DELETE /api/v1/users/:user_id";
  return answer(c, route, { deletion }, deletion.status === "done" ? 200 : 202);
}

/** The project's deletion `id` (a trace's or an end user's), or a 404. */
async function deletionJob(c: Context<AppEnv>) {
  const job = await projectDeletion(controlDb(c.env.DB), c.var.project.projectId, c.req.param("id") ?? "");
  if (!job) throw new ApiError("not_found", "No such deletion in this project.");
  return job;
}

/** Answers a retried deletion: 200 when done within the request, else 202; 409 when it had not failed. */
export async function answerRetry(
  c: Context<AppEnv>,
  deletion: Deletion | null,
  route:
    | "POST /api/v1/deletions/:id/retry"
    | "POST /api/orgs/:org/deletions/:id/retry" = "POST /api/v1/deletions/:id/retry",
) {
  if (!deletion) throw new ApiError("conflict", "Only a failed deletion can be retried.");
  return answer(c, route, { deletion }, deletion.status === "done" ? 200 : 202);
}

export const deletionsRoute = new Hono<AppEnv>()
  .use(projectAccess("viewer", "see deletions"))
  // Polled until done: an ETag lets a poll of an unchanged deletion answer 304, as every read of this API does.
  .get("/:id", etag(), async (c) =>
    answer(c, "GET /api/v1/deletions/:id", { deletion: deletionView(await deletionJob(c)) }),
  )
  .post("/:id/retry", async (c) => {
    requireDeleter(c.var.project, "retry deletions");
    return answerRetry(c, await retryDeletion(c.env, await deletionJob(c), actorOf(c)));
  });
