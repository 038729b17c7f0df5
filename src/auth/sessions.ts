// Cookie sessions: a random token in an HttpOnly cookie, stored only as its SHA-256, revoked by deleting the row.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { ControlDb } from "../db/client.ts";
import { sessionUserByHash, sessionUserWithProject } from "../db/queries/auth.ts";
import { sessionDelete, sessionInsert } from "../db/writes/auth.ts";
import { randomToken, sha256Hex } from "../lib/ids.ts";

const SESSION_COOKIE = "wl_session";
const SESSION_TTL_MS = 30 * 86_400_000;

export async function startSession(c: Context, db: ControlDb, userId: string) {
  const token = randomToken(43);
  const expiresAt = Date.now() + SESSION_TTL_MS;
  await sessionInsert(db, { tokenHash: await sha256Hex(token), userId, expiresAt });
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: "Lax",
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
  });
}

/**
 * The session cookie, unless the request carries an Authorization header: such a request skips the CSRF Origin check
 * (a page can't set that header cross-site), so only the header may authenticate it, never a cookie riding along.
 */
const sessionToken = (c: Context) =>
  c.req.header("Authorization") === undefined ? getCookie(c, SESSION_COOKIE) : undefined;

/** The signed-in user, or null for no, unknown, expired or revoked session (or an Authorization header instead). */
export async function sessionUser(c: Context, db: ControlDb) {
  const token = sessionToken(c);
  if (!token) return null;
  return (await sessionUserByHash(db, await sha256Hex(token), Date.now())) ?? null;
}

/** The signed-in user (null as for `sessionUser`) and their access to `projectId`, read together. */
export async function sessionUserAndProject(c: Context, db: ControlDb, projectId: string) {
  const token = sessionToken(c);
  if (!token) return null;
  return (await sessionUserWithProject(db, await sha256Hex(token), Date.now(), projectId)) ?? null;
}

export async function endSession(c: Context, db: ControlDb) {
  const token = sessionToken(c);
  if (token) await sessionDelete(db, await sha256Hex(token));
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
}
