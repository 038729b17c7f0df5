// /api/auth: sign-up (open / invite / closed), login with lockout, logout that revokes the session, and the session
// probe the dashboard boots with.
import { Hono } from "hono";
import { z } from "zod";
import { loginBody, signupBody } from "../../contract/accounts.ts";
import { claimInvite, joinStatement, releaseInvite } from "../accounts/invites.ts";
import { userView } from "../accounts/views.ts";
import { personalWorkspace } from "../accounts/workspace.ts";
import { clientIp } from "../auth/client-ip.ts";
import { clearLoginAttempts, countLoginAttempt } from "../auth/login-limit.ts";
import { hashPassword, verifyPassword } from "../auth/passwords.ts";
import { endSession, sessionUser, startSession } from "../auth/sessions.ts";
import { controlDb } from "../db/client.ts";
import { userByEmail, userById, userCount } from "../db/queries/users.ts";
import { dataDatabases } from "../db/shards.ts";
import { userInsert } from "../db/writes/users.ts";
import type { AppEnv } from "../env.ts";
import { answer } from "../lib/answer.ts";
import { ApiError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { valid } from "../lib/validate.ts";
import { meOf } from "./me.ts";

const SIGNUP_MODES = ["open", "invite", "closed"] as const;

/** A hash to verify against when the email is unknown, so both failures take the same time. */
const DUMMY_HASH = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

export const authRoute = new Hono<AppEnv>()
  // Who is signed in, if anyone: 200 either way, so a signed-out page load logs no failed request.
  .get("/session", async (c) => {
    const db = controlDb(c.env.DB);
    const user = await sessionUser(c, db);
    return answer(c, "GET /api/auth/session", { me: user ? await meOf(db, user) : null });
  })
  .post("/signup", valid("json", signupBody), async (c) => {
    const body = c.req.valid("json");
    const db = controlDb(c.env.DB);
    const mode = z.enum(SIGNUP_MODES).catch("invite").parse(c.env.SIGNUP_MODE);
    const existing = await userCount(db);
    const first = existing === 0;
    if (!first && mode === "closed") throw new ApiError("signup_closed", "Sign-up is closed on this instance.");
    if (!first && mode === "invite" && !body.invite_token) {
      throw new ApiError("signup_closed", "Sign-up on this instance needs an invite link.");
    }
    const taken = await userByEmail(db, body.email);
    if (taken) throw new ApiError("conflict", "An account with this email already exists.");
    const userId = newId("usr");
    // The invite is claimed first, in one conditional UPDATE: of concurrent sign-ups with one link, exactly one gets it.
    const claim = body.invite_token ? await claimInvite(db, body.invite_token, userId, body.email) : null;
    const user = {
      id: userId,
      email: body.email,
      name: body.name,
      passwordHash: await hashPassword(body.password),
      isAdmin: first,
    };
    const workspace = await personalWorkspace(db, user, dataDatabases(c.env).length);
    try {
      await db.batch([
        userInsert(db, user),
        ...workspace.statements,
        ...(claim ? [joinStatement(db, claim.invite, userId)] : []),
      ]);
    } catch (err) {
      if (claim) await releaseInvite(db, claim.invite.id, userId);
      throw err;
    }
    const joined = claim && { org: { id: claim.invite.orgId, name: claim.orgName }, role: claim.invite.role };
    await startSession(c, db, user.id);
    const row = await userById(db, user.id);
    return answer(
      c,
      "POST /api/auth/signup",
      { user: userView(row!), org: workspace.org, project: workspace.project, keys: workspace.keys, joined },
      201,
    );
  })
  .post("/login", valid("json", loginBody), async (c) => {
    const { email: address, password: given } = c.req.valid("json");
    const db = controlDb(c.env.DB);
    const ip = clientIp(c);
    await countLoginAttempt(db, address, ip);
    const user = await userByEmail(db, address);
    const ok = await verifyPassword(given, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) throw new ApiError("invalid_credentials", "Email or password is wrong.");
    await clearLoginAttempts(db, address, ip);
    await startSession(c, db, user.id);
    return answer(c, "POST /api/auth/login", { user: userView(user) });
  })
  .post("/logout", async (c) => {
    await endSession(c, controlDb(c.env.DB));
    return answer(c, "POST /api/auth/logout", { ok: true });
  });
