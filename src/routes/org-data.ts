// /api/orgs/:org/audit-log and /api/orgs/:org/deletions/:id (admins): who changed retention or deleted what, in any
// of the org's projects (deleted ones too), and the status of a project's deletion (its own routes are gone), with
// /api/orgs/:org/deletions/:id/retry to resume one that failed.
import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { PAGE_LIMITS } from "../../contract/limits.ts";
import { actorOf } from "../auth/access.ts";
import { orgAccess, requireUser } from "../auth/middleware.ts";
import { controlDb } from "../db/client.ts";
import { auditLog, jobs, users } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { decodeCursor, paginate, timeAndId } from "../lib/cursor.ts";
import { ApiError } from "../lib/errors.ts";
import { limitParam } from "../lib/query-params.ts";
import { valid } from "../lib/validate.ts";
import { deletionView, retryDeletion } from "../maintenance/erase.ts";
import { answerRetry } from "./deletions.ts";

const auditParams = z.object({
  project_id: z.string().max(100).optional(),
  limit: limitParam(PAGE_LIMITS.auditLog.default, PAGE_LIMITS.auditLog.max),
  cursor: z.string().max(512).optional(),
});

export const orgDataRoute = new Hono<AppEnv>()
  .use(requireUser)
  .get("/:org/audit-log", orgAccess("admin", "read the audit log"), valid("query", auditParams), async (c) => {
    const { project_id, limit, cursor } = c.req.valid("query");
    const after = cursor ? decodeCursor(cursor, timeAndId) : null;
    const rows = await controlDb(c.env.DB)
      .select({ entry: auditLog, email: users.email })
      .from(auditLog)
      .leftJoin(users, eq(users.id, sql`substr(${auditLog.actor}, 6)`))
      .where(
        and(
          eq(auditLog.orgId, c.req.param("org")),
          project_id ? eq(auditLog.projectId, project_id) : undefined,
          after ? or(lt(auditLog.at, after[0]), and(eq(auditLog.at, after[0]), lt(auditLog.id, after[1]))) : undefined,
        ),
      )
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(limit + 1);
    const page = paginate(rows, limit, (r) => [r.entry.at, r.entry.id]);
    return c.json({
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
  .get("/:org/deletions/:id", orgAccess("admin", "see deletions"), async (c) =>
    c.json({ deletion: deletionView(await orgDeletion(c.env.DB, c.req.param("org"), c.req.param("id"))) }),
  )
  .post("/:org/deletions/:id/retry", orgAccess("admin", "retry deletions"), async (c) => {
    const job = await orgDeletion(c.env.DB, c.req.param("org"), c.req.param("id"));
    return answerRetry(c, await retryDeletion(c.env, job, actorOf(c)));
  });

/** The org's deletion `id` (of any of its projects, deleted ones too), or a 404. */
async function orgDeletion(d1: D1Database, org: string, id: string) {
  const [job] = await controlDb(d1)
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, id), eq(jobs.kind, "erase"), sql`json_extract(${jobs.params}, '$.org_id') = ${org}`));
  if (!job) throw new ApiError("not_found", "No such deletion in this organization.");
  return job;
}
