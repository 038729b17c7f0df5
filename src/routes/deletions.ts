// Deletions on request through a project's API (one trace, or every event of one end user, for privacy requests)
// and /api/v1/deletions/:id, their status. A project's own deletion is under its org (src/routes/projects.ts).
import { and, eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { actorOf, requireDeleter } from "../auth/access.ts";
import { projectAccess } from "../auth/middleware.ts";
import { database } from "../db/client.ts";
import { jobs } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { deletionView, requestDeletion } from "../maintenance/erase.ts";

/** Starts deleting a trace or an end user's data: 200 when done within the request, else 202 with where to poll. */
export async function deleteFromProject(c: Context<AppEnv>, kind: "trace" | "user", target: string) {
  const { projectId, orgId, shard } = c.var.project;
  requireDeleter(c.var.project, kind === "trace" ? "delete traces" : "delete end users' data");
  const deletion = await requestDeletion(c.env, {
    kind,
    project_id: projectId,
    org_id: orgId,
    shard,
    target,
    actor: actorOf(c),
  });
  return c.json({ deletion }, deletion.status === "done" ? 200 : 202);
}

export const deletionsRoute = new Hono<AppEnv>()
  .use(projectAccess("viewer", "see deletions"))
  .get("/:id", async (c) => {
    const [job] = await database(c.env.DB)
      .select()
      .from(jobs)
      .where(and(eq(jobs.id, c.req.param("id")), eq(jobs.kind, "erase"), eq(jobs.projectId, c.var.project.projectId)));
    if (!job) throw new ApiError("not_found", "No such deletion in this project.");
    return c.json({ deletion: deletionView(job) });
  });
