// GET /api/me: the signed-in user, their orgs with role, and each org's projects (401 when signed out; the dashboard's
// boot asks /api/auth/session instead, which answers the same or null without an error).
import { Hono } from "hono";
import type { MeAnswer } from "../../contract/accounts.ts";
import { userView } from "../accounts/views.ts";
import { requireUser } from "../auth/middleware.ts";
import type { ControlDb } from "../db/client.ts";
import { controlDb } from "../db/client.ts";
import { projectsOfUser, userMemberships } from "../db/queries/orgs.ts";
import type { UserRow } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { answer } from "../lib/answer.ts";

/** A user with their orgs (and role in each) and each org's projects. */
export async function meOf(db: ControlDb, user: UserRow): Promise<MeAnswer> {
  // Both read at once (one round trip to D1 instead of two, on every page's boot).
  const [memberships, projectRows] = await Promise.all([userMemberships(db, user.id), projectsOfUser(db, user.id)]);
  return {
    user: userView(user),
    orgs: memberships.map((org) => ({
      ...org,
      projects: projectRows
        .filter((p) => p.orgId === org.id)
        .map((p) => ({ id: p.id, name: p.name, created_at: p.createdAt })),
    })),
  };
}

export const meRoute = new Hono<AppEnv>().get("/", requireUser, async (c) =>
  answer(c, "GET /api/me", await meOf(controlDb(c.env.DB), c.var.user)),
);
