// /api/orgs/:org/audit-log and /api/orgs/:org/deletions/:id (admins): who changed retention or deleted what, in any
// of the org's projects (deleted ones too), and the status of a project's deletion (its own routes are gone), with
// /api/orgs/:org/deletions/:id/retry to resume one that failed.
import { Hono } from "hono";
import { etag } from "hono/etag";
import { auditParams } from "../../contract/data.ts";
import { actorOf } from "../auth/access.ts";
import { orgAccess, requireUser } from "../auth/middleware.ts";
import { controlDb } from "../db/client.ts";
import { auditPage } from "../db/queries/audit.ts";
import { orgDeletion as findOrgDeletion } from "../db/queries/deletions.ts";
import type { AppEnv } from "../env.ts";
import { answer } from "../lib/answer.ts";
import { decodeCursor, paginate, timeAndId } from "../lib/cursor.ts";
import { ApiError } from "../lib/errors.ts";
import { valid } from "../lib/validate.ts";
import { deletionView, retryDeletion } from "../maintenance/erase.ts";
import { answerRetry } from "./deletions.ts";

export const orgDataRoute = new Hono<AppEnv>()
  .use(requireUser)
  .get("/:org/audit-log", orgAccess("admin", "read the audit log"), valid("query", auditParams), async (c) => {
    const { project_id, limit, cursor } = c.req.valid("query");
    const after = cursor ? decodeCursor(cursor, timeAndId) : null;
    const rows = await auditPage(controlDb(c.env.DB), c.req.param("org"), {
      ...(project_id !== undefined && { projectId: project_id }),
      after,
      limit: limit + 1,
    });
    const page = paginate(rows, limit, (r) => [r.entry.at, r.entry.id]);
    return answer(c, "GET /api/orgs/:org/audit-log", {
      entries: page.items.map(({ entry, email }) => ({
        id: entry.id,
        project_id: entry.projectId,
        actor: entry.actor,
        actor_email: entry.actor.startsWith("user:") ? email : null,
        action: entry.action,
        target: entry.target,
        details: JSON.parse(entry.details) as Record<string, unknown>,
        at: entry.at,
      })),
      next_cursor: page.next_cursor,
    });
  })
  .get("/:org/deletions/:id", orgAccess("admin", "see deletions"), etag(), async (c) =>
    answer(c, "GET /api/orgs/:org/deletions/:id", {
      deletion: deletionView(await orgDeletion(c.env.DB, c.req.param("org"), c.req.param("id"))),
    }),
  )
  .post("/:org/deletions/:id/retry", orgAccess("admin", "retry deletions"), async (c) => {
    const job = await orgDeletion(c.env.DB, c.req.param("org"), c.req.param("id"));
    return answerRetry(c, await retryDeletion(c.env, job, actorOf(c)), "POST /api/orgs/:org/deletions/:id/retry");
  });

/** The org's deletion `id` (of any of its projects, deleted ones too), or a 404. */
async function orgDeletion(d1: D1Database, org: string, id: string) {
  const job = await findOrgDeletion(controlDb(d1), org, id);
  if (!job) throw new ApiError("not_found", "No such deletion in this organization.");
  return job;
}
