// /api/invites/:token: what an invite link offers (public: the token is the secret) and accepting it.
import { Hono } from "hono";
import { acceptInvite, findInvite } from "../accounts/invites.ts";
import { requireUser } from "../auth/middleware.ts";
import { controlDb } from "../db/client.ts";
import type { AppEnv } from "../env.ts";
import { answer } from "../lib/answer.ts";

export const invitesRoute = new Hono<AppEnv>()
  .get("/:token", async (c) => {
    const { invite, orgName } = await findInvite(controlDb(c.env.DB), c.req.param("token"));
    return answer(c, "GET /api/invites/:token", {
      invite: { org_name: orgName, role: invite.role, expires_at: invite.expiresAt },
    });
  })
  .post("/:token/accept", requireUser, async (c) => {
    const joined = await acceptInvite(controlDb(c.env.DB), c.req.param("token"), c.var.user);
    return answer(c, "POST /api/invites/:token/accept", { joined });
  });
