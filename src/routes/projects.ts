// /api/projects/:project: the project itself (with whether events have arrived, for onboarding), its settings
// (name, retention), its deletion, and its API keys.
import { type Context, Hono } from "hono";
import { newKeyBody, type ProjectDetail } from "../../contract/accounts.ts";
import { projectPatch } from "../../contract/data.ts";
import { keyView } from "../accounts/views.ts";
import { actorOf } from "../auth/access.ts";
import { mintKey } from "../auth/keys.ts";
import { projectAccess, projectData } from "../auth/middleware.ts";
import { controlDb } from "../db/client.ts";
import { latestTraceStart, projectKeys, projectRow } from "../db/queries/projects.ts";
import type { ProjectRow } from "../db/schema.ts";
import { auditInsert } from "../db/writes/audit.ts";
import { keyInsert, keyRevoke, projectRemovals, projectUpdate } from "../db/writes/projects.ts";
import type { AppEnv } from "../env.ts";
import { answer } from "../lib/answer.ts";
import { ApiError } from "../lib/errors.ts";
import { valid } from "../lib/validate.ts";
import { requestDeletion } from "../maintenance/erase.ts";
import { defaultRetentionDays, effectiveRetention } from "../maintenance/retention.ts";
import { guardRetention } from "../usage/limits.ts";

const projectView = (c: Context<AppEnv>, row: ProjectRow): ProjectDetail => ({
  id: row.id,
  org_id: row.orgId,
  name: row.name,
  created_at: row.createdAt,
  role: c.var.project.role,
  retention_days: row.retentionDays,
  effective_retention_days: effectiveRetention(row.retentionDays, c.env),
});

export const projectsRoute = new Hono<AppEnv>()
  .get("/:project", projectAccess("viewer", "see this project"), async (c) => {
    const db = controlDb(c.env.DB);
    const { projectId } = c.var.project;
    const [project, latestAt] = await Promise.all([
      projectRow(db, projectId),
      latestTraceStart(projectData(c), projectId),
    ]);
    const latest = latestAt === undefined ? undefined : { at: latestAt };
    return answer(c, "GET /api/projects/:project", {
      project: projectView(c, project!),
      has_events: Boolean(latest),
      last_trace_at: latest?.at ?? null,
    });
  })
  .patch("/:project", projectAccess("admin", "change project settings"), valid("json", projectPatch), async (c) => {
    const db = controlDb(c.env.DB);
    const { projectId, orgId } = c.var.project;
    const patch = c.req.valid("json");
    if (patch.retention_days !== undefined)
      await guardRetention(c.env, orgId, patch.retention_days, defaultRetentionDays(c.env));
    const before = await projectRow(db, projectId);
    const audit = (action: string, target: string, details: Record<string, unknown>) =>
      auditInsert(db, { orgId, projectId, actor: actorOf(c), action, target, details });
    const [[after]] = await db.batch([
      projectUpdate(db, projectId, {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.retention_days !== undefined && { retentionDays: patch.retention_days }),
      }),
      ...(patch.name !== undefined && patch.name !== before!.name
        ? [audit("project.renamed", patch.name, { from: before!.name })]
        : []),
      ...(patch.retention_days !== undefined && patch.retention_days !== before!.retentionDays
        ? [
            audit("project.retention_changed", String(patch.retention_days ?? "default"), {
              from: before!.retentionDays,
              to: patch.retention_days,
              effective_days: effectiveRetention(patch.retention_days, c.env),
            }),
          ]
        : []),
    ]);
    return answer(c, "PATCH /api/projects/:project", { project: projectView(c, after!) });
  })
  // Everything of the project goes: its keys and settings at once (nothing can send to or read it any more), its
  // data in bounded steps after; 202 with the deletion to poll (under the org, since the project's routes are gone).
  .delete("/:project", projectAccess("admin", "delete projects"), async (c) => {
    const db = controlDb(c.env.DB);
    const { projectId, orgId, shard } = c.var.project;
    const project = await projectRow(db, projectId);
    const deletion = await requestDeletion(
      c.env,
      { kind: "project", project_id: projectId, org_id: orgId, shard, target: null, actor: actorOf(c) },
      {
        details: { name: project!.name },
        alongside: [...projectRemovals(db, projectId)],
      },
    );
    return answer(c, "DELETE /api/projects/:project", { deletion }, deletion.status === "done" ? 200 : 202);
  })
  .get("/:project/keys", projectAccess("member", "see API keys"), async (c) => {
    const rows = await projectKeys(controlDb(c.env.DB), c.var.project.projectId);
    return answer(c, "GET /api/projects/:project/keys", { keys: rows.map(keyView) });
  })
  .post("/:project/keys", projectAccess("admin", "create API keys"), valid("json", newKeyBody), async (c) => {
    const { kind, name } = c.req.valid("json");
    const { projectId, orgId } = c.var.project;
    const { plaintext, row } = await mintKey(projectId, kind, name);
    const db = controlDb(c.env.DB);
    const [[stored]] = await db.batch([
      keyInsert(db, row),
      auditInsert(db, {
        orgId,
        projectId,
        actor: actorOf(c),
        action: "key.created",
        target: `${row.prefix}…`,
        details: { key_id: row.id, kind, name },
      }),
    ]);
    return answer(c, "POST /api/projects/:project/keys", { key: { ...keyView(stored!), key: plaintext } }, 201);
  })
  .delete("/:project/keys/:key_id", projectAccess("admin", "revoke API keys"), async (c) => {
    const db = controlDb(c.env.DB);
    const { projectId, orgId } = c.var.project;
    const at = Date.now();
    const [revoked] = await keyRevoke(db, projectId, c.req.param("key_id"), at);
    if (!revoked) throw new ApiError("not_found", "No such key.");
    // Revoking a revoked key changes nothing: its first revocation stands, logged once.
    if (revoked.revokedAt === at)
      await auditInsert(db, {
        orgId,
        projectId,
        actor: actorOf(c),
        action: "key.revoked",
        target: `${revoked.prefix}…`,
        details: { key_id: revoked.id, kind: revoked.kind, name: revoked.name },
      });
    return answer(c, "DELETE /api/projects/:project/keys/:key_id", { key: keyView(revoked) });
  });
