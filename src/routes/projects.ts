// /api/projects/:project: the project itself (with whether events have arrived, for onboarding) and its API keys.
import { and, desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { KEY_KINDS } from "../../contract/constants.ts";
import { keyView } from "../accounts/views.ts";
import { mintKey } from "../auth/keys.ts";
import { projectAccess, projectData } from "../auth/middleware.ts";
import { database } from "../db/client.ts";
import { apiKeys, projects, traces } from "../db/schema.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { valid } from "../lib/validate.ts";

const newKey = z.object({ kind: z.enum(KEY_KINDS), name: z.string().trim().max(100).default("") });

export const projectsRoute = new Hono<AppEnv>()
  .get("/:project", projectAccess("viewer", "see this project"), async (c) => {
    const db = database(c.env.DB);
    const { projectId, orgId, role } = c.var.project;
    const [project] = await db.select().from(projects).where(eq(projects.id, projectId));
    const [latest] = await projectData(c)
      .select({ at: traces.startTs })
      .from(traces)
      .where(eq(traces.projectId, projectId))
      .orderBy(desc(traces.startTs))
      .limit(1);
    return c.json({
      project: { id: projectId, org_id: orgId, name: project!.name, created_at: project!.createdAt, role },
      has_events: Boolean(latest),
      last_trace_at: latest?.at ?? null,
    });
  })
  .get("/:project/keys", projectAccess("member", "see API keys"), async (c) => {
    const rows = await database(c.env.DB)
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.projectId, c.var.project.projectId))
      .orderBy(desc(apiKeys.createdAt));
    return c.json({ keys: rows.map(keyView) });
  })
  .post("/:project/keys", projectAccess("admin", "create API keys"), valid("json", newKey), async (c) => {
    const { kind, name } = c.req.valid("json");
    const { plaintext, row } = await mintKey(c.var.project.projectId, kind, name);
    const [stored] = await database(c.env.DB).insert(apiKeys).values(row).returning();
    return c.json({ key: { ...keyView(stored!), key: plaintext } }, 201);
  })
  .delete("/:project/keys/:key_id", projectAccess("admin", "revoke API keys"), async (c) => {
    const [revoked] = await database(c.env.DB)
      .update(apiKeys)
      .set({ revokedAt: Date.now() })
      .where(and(eq(apiKeys.id, c.req.param("key_id")), eq(apiKeys.projectId, c.var.project.projectId)))
      .returning();
    if (!revoked) throw new ApiError("not_found", "No such key.");
    return c.json({ key: keyView(revoked) });
  });
