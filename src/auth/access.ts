// The one place that resolves caller → project → role: a secret API key (its project, full access to its data)
// or a session user (the project named by the request, via org membership). Everything else answers 401/403/404.
import type { Context } from "hono";
import { ROLES, type Role } from "../../contract/constants.ts";
import type { ControlDb } from "../db/client.ts";
import { memberRole } from "../db/queries/auth.ts";
import type { AppEnv, ProjectAccess } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { bearerToken, findKey, touchKey } from "./keys.ts";
import { sessionUser, sessionUserAndProject } from "./sessions.ts";

/** Whether `role` ranks at least `needed` (owner > admin > member > viewer). */
export const atLeast = (role: Role, needed: Role) => ROLES.indexOf(role) <= ROLES.indexOf(needed);

/** The caller's role in an org; 404 (not 403) for non-members, so org ids don't leak. */
export async function orgRole(db: ControlDb, orgId: string, userId: string): Promise<Role> {
  const role = await memberRole(db, orgId, userId);
  if (!role) throw new ApiError("not_found", "No such organization.");
  return role;
}

export function requireRole(role: Role, needed: Role, what: string) {
  if (!atLeast(role, needed))
    throw new ApiError("forbidden", `Only ${needed}s and above can ${what}.`, { role, needed });
}

/**
 * Resolves the project a request acts on. `projectId` is the project named in the path; when absent (the
 * /api/v1 routes) it comes from the key, or for a session from `project_id` / `X-WatchLLM-Project`.
 */
export async function resolveProject(c: Context<AppEnv>, db: ControlDb, projectId?: string): Promise<ProjectAccess> {
  const presented = bearerToken(c.req.header("Authorization"));
  if (presented) {
    const key = await findKey(db, presented);
    if (key.kind !== "secret")
      throw new ApiError("forbidden", "Ingest keys only send events and scores; use a secret key for this.");
    // A key reads only its own project; naming another one (path, query or header) is refused, not ignored.
    const named = projectId ?? c.req.query("project_id") ?? c.req.header("X-WatchLLM-Project");
    if (named && named !== key.projectId) throw new ApiError("not_found", "No such project.");
    c.set("apiKey", key);
    c.executionCtx.waitUntil(touchKey(db, key));
    return { projectId: key.projectId, orgId: key.orgId, shard: key.shard, role: "member", via: "key" };
  }
  const unauthorized = () =>
    new ApiError("unauthorized", "Sign in, or send a secret key as `Authorization: Bearer <key>`.");
  const named = projectId ?? c.req.query("project_id") ?? c.req.header("X-WatchLLM-Project");
  if (!named) {
    const user = await sessionUser(c, db);
    if (!user) throw unauthorized();
    c.set("user", user);
    throw new ApiError("invalid_request", "Name the project with `project_id` or the `X-WatchLLM-Project` header.");
  }
  // The session and the user's membership of the project in one read (every dashboard read of project data).
  const found = await sessionUserAndProject(c, db, named);
  if (!found) throw unauthorized();
  c.set("user", found.user);
  const { orgId, shard, role } = found;
  if (orgId === null || shard === null || role === null) throw new ApiError("not_found", "No such project.");
  return { projectId: named, orgId, shard, role, via: "session" };
}

/** Who did it, for the audit log: `key:<id>` for a secret key, `user:<id>` for a session. */
export const actorOf = (c: Context<AppEnv>) => (c.var.apiKey ? `key:${c.var.apiKey.id}` : `user:${c.var.user.id}`);

/** Deleting data takes an admin (session) or a secret key (the project's owner system). */
export function requireDeleter(access: ProjectAccess, what: string) {
  if (access.via === "session") requireRole(access.role, "admin", what);
}
