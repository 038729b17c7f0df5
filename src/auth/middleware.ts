// Route guards built on access.ts: who is calling, and may they touch this org or project.

import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Role } from "../../contract/constants.ts";
import { controlDb, dataDb } from "../db/client.ts";
import { shardDatabase } from "../db/shards.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { orgRole, requireRole, resolveProject } from "./access.ts";
import { sessionUser } from "./sessions.ts";

/** A signed-in user (cookie session) is required; sets `user`. */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const user = await sessionUser(c, controlDb(c.env.DB));
  if (!user) throw new ApiError("unauthorized", "Sign in first.");
  c.set("user", user);
  await next();
});

/** For `/:org/...` routes: the user's role in the org must be at least `needed`; sets `orgRole`. */
export const orgAccess = (needed: Role, what: string) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const role = await orgRole(controlDb(c.env.DB), c.req.param("org")!, c.var.user.id);
    requireRole(role, needed, what);
    c.set("orgRole", role);
    await next();
  });

/**
 * For project data (`/:project/...` routes and `/api/v1` reads): sets `project` with the caller's role, and `data`,
 * the project's data database from its placement, resolved here once for the request.
 */
export const projectAccess = (needed: Role, what: string) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const access = await resolveProject(c, controlDb(c.env.DB), c.req.param("project"));
    requireRole(access.role, needed, what);
    c.set("project", access);
    c.set("data", dataDb(shardDatabase(c.env, access.shard)));
    await next();
  });

/** The project's data database (raw D1, for the consumer-shaped writes); for routes behind `projectAccess`. */
export const projectD1 = (c: Context<AppEnv>) => c.var.data.$client;

/** The project's data database (drizzle), as `projectAccess` resolved it. */
export const projectData = (c: Context<AppEnv>) => c.var.data;
