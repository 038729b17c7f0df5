// GET /api/me: the signed-in user, their orgs with role, and each org's projects.
import { eq, inArray } from "drizzle-orm";
import { Hono } from "hono";
import { userView } from "../accounts/views.ts";
import { requireUser } from "../auth/middleware.ts";
import { database } from "../db/client.ts";
import { orgMembers, orgs, projects } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";

export const meRoute = new Hono<AppEnv>().get("/", requireUser, async (c) => {
  const db = database(c.env.DB);
  const memberships = await db
    .select({ id: orgs.id, name: orgs.name, role: orgMembers.role })
    .from(orgMembers)
    .innerJoin(orgs, eq(orgs.id, orgMembers.orgId))
    .where(eq(orgMembers.userId, c.var.user.id))
    .orderBy(orgs.createdAt);
  const projectRows = memberships.length
    ? await db
        .select()
        .from(projects)
        .where(
          inArray(
            projects.orgId,
            memberships.map((m) => m.id),
          ),
        )
        .orderBy(projects.createdAt)
    : [];
  return c.json({
    user: userView(c.var.user),
    orgs: memberships.map((org) => ({
      ...org,
      projects: projectRows
        .filter((p) => p.orgId === org.id)
        .map((p) => ({ id: p.id, name: p.name, created_at: p.createdAt })),
    })),
  });
});
