// /api/orgs: orgs, their projects, members and roles, and invite links.
import { Hono } from "hono";
import { inviteBody, nameBody, roleBody } from "../../contract/accounts.ts";
import { orgWithOwner, projectWithKeys } from "../accounts/workspace.ts";
import { actorOf, requireRole } from "../auth/access.ts";
import { orgAccess, requireUser } from "../auth/middleware.ts";
import { controlDb } from "../db/client.ts";
import { emailOf, openInvites, orgMember, orgMemberList, orgProjects, userOrgs } from "../db/queries/orgs.ts";
import { dataDatabases } from "../db/shards.ts";
import { auditInsert } from "../db/writes/audit.ts";
import { inviteDelete, inviteInsert, memberDelete, memberRoleUpdate } from "../db/writes/orgs.ts";
import type { AppEnv } from "../env.ts";
import { answer } from "../lib/answer.ts";
import { ApiError } from "../lib/errors.ts";
import { newId, randomToken, sha256Hex } from "../lib/ids.ts";
import { HOUR_MS } from "../lib/time.ts";
import { valid } from "../lib/validate.ts";
import { guardSeats } from "../usage/limits.ts";

export const orgsRoute = new Hono<AppEnv>()
  .use(requireUser)
  .get("/", async (c) => {
    const rows = await userOrgs(controlDb(c.env.DB), c.var.user.id);
    return answer(c, "GET /api/orgs", { orgs: rows });
  })
  .post("/", valid("json", nameBody), async (c) => {
    const db = controlDb(c.env.DB);
    const { org, statements } = orgWithOwner(db, c.req.valid("json").name, c.var.user.id);
    await db.batch(statements);
    return answer(c, "POST /api/orgs", { org: { ...org, role: "owner" } }, 201);
  })
  .get("/:org/projects", orgAccess("viewer", "see projects"), async (c) => {
    const rows = await orgProjects(controlDb(c.env.DB), c.req.param("org"));
    return answer(c, "GET /api/orgs/:org/projects", { projects: rows });
  })
  .post("/:org/projects", orgAccess("admin", "create projects"), valid("json", nameBody), async (c) => {
    const db = controlDb(c.env.DB);
    const { project, keys, statements } = await projectWithKeys(
      db,
      c.req.param("org"),
      c.req.valid("json").name,
      dataDatabases(c.env).length,
    );
    await db.batch(statements);
    return answer(c, "POST /api/orgs/:org/projects", { project, keys }, 201);
  })
  .get("/:org/members", orgAccess("viewer", "see members"), async (c) => {
    const rows = await orgMemberList(controlDb(c.env.DB), c.req.param("org"));
    return answer(c, "GET /api/orgs/:org/members", { members: rows });
  })
  .patch("/:org/members/:user_id", orgAccess("admin", "change roles"), valid("json", roleBody), async (c) => {
    const db = controlDb(c.env.DB);
    const orgId = c.req.param("org");
    const target = c.req.param("user_id");
    const next = c.req.valid("json").role;
    const member = await orgMember(db, orgId, target);
    if (!member) throw new ApiError("not_found", "No such member.");
    if (member.role === "owner" || next === "owner")
      requireRole(c.var.orgRole, "owner", "grant or take away ownership");
    const [changed] = await memberRoleUpdate(db, orgId, target, next);
    if (!changed) throw new ApiError("conflict", "An org needs at least one owner; make someone else owner first.");
    if (member.role !== next)
      await auditInsert(db, {
        orgId,
        projectId: null,
        actor: actorOf(c),
        action: "member.role_changed",
        target: await emailOf(db, target),
        details: { user_id: target, from: member.role, to: next },
      });
    return answer(c, "PATCH /api/orgs/:org/members/:user_id", { member: { user_id: target, role: next } });
  })
  .delete("/:org/members/:user_id", orgAccess("viewer", "leave"), async (c) => {
    const db = controlDb(c.env.DB);
    const orgId = c.req.param("org");
    const target = c.req.param("user_id");
    if (target !== c.var.user.id) requireRole(c.var.orgRole, "admin", "remove members");
    const member = await orgMember(db, orgId, target);
    if (!member) throw new ApiError("not_found", "No such member.");
    if (member.role === "owner" && target !== c.var.user.id) requireRole(c.var.orgRole, "owner", "remove an owner");
    const [removed] = await memberDelete(db, orgId, target);
    if (!removed) throw new ApiError("conflict", "The last owner can't leave; make someone else owner first.");
    await auditInsert(db, {
      orgId,
      projectId: null,
      actor: actorOf(c),
      action: target === c.var.user.id ? "member.left" : "member.removed",
      target: await emailOf(db, target),
      details: { user_id: target, role: member.role },
    });
    return answer(c, "DELETE /api/orgs/:org/members/:user_id", { ok: true });
  })
  .get("/:org/invites", orgAccess("admin", "see invites"), async (c) => {
    const rows = await openInvites(controlDb(c.env.DB), c.req.param("org"));
    return answer(c, "GET /api/orgs/:org/invites", { invites: rows });
  })
  .post("/:org/invites", orgAccess("admin", "invite people"), valid("json", inviteBody), async (c) => {
    const body = c.req.valid("json");
    if (body.role === "owner") requireRole(c.var.orgRole, "owner", "invite owners");
    await guardSeats(c.env, c.req.param("org"));
    const token = randomToken(32);
    const invite = {
      id: newId("inv"),
      orgId: c.req.param("org"),
      tokenHash: await sha256Hex(token),
      role: body.role,
      email: body.email ?? null,
      createdBy: c.var.user.id,
      expiresAt: Date.now() + body.expires_in_hours * HOUR_MS,
    };
    const db = controlDb(c.env.DB);
    await db.batch([
      inviteInsert(db, invite),
      auditInsert(db, {
        orgId: invite.orgId,
        projectId: null,
        actor: actorOf(c),
        action: "invite.created",
        target: invite.email,
        details: { invite_id: invite.id, role: invite.role, expires_at: invite.expiresAt },
      }),
    ]);
    const url = `${new URL(c.req.url).origin}/invite/${token}`;
    return answer(
      c,
      "POST /api/orgs/:org/invites",
      { invite: { id: invite.id, role: invite.role, email: invite.email, expires_at: invite.expiresAt, token, url } },
      201,
    );
  })
  .delete("/:org/invites/:invite_id", orgAccess("admin", "revoke invites"), async (c) => {
    const [gone] = await inviteDelete(controlDb(c.env.DB), c.req.param("org"), c.req.param("invite_id"));
    if (!gone) throw new ApiError("not_found", "No such invite.");
    return answer(c, "DELETE /api/orgs/:org/invites/:invite_id", { ok: true });
  });
