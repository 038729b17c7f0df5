import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PBKDF2_ITERATIONS } from "../../src/auth/passwords.ts";
import { browser, ORIGIN, signUp, uniqueEmail } from "./account-fixtures.ts";
import { makeEvent, postEvents } from "./fixtures.ts";

describe("sign-up, login, logout", () => {
  it("signs up into a personal org and first project with keys, and sets a secure session cookie", async () => {
    const b = browser("open");
    const email = uniqueEmail();
    const res = await b.request("/api/auth/signup", {
      method: "POST",
      json: { email: email.toUpperCase(), password: "hunter2hunter2", name: "Grace" },
    });
    expect(res.status).toBe(201);
    const cookie = res.headers.get("Set-Cookie")!;
    expect(cookie).toMatch(/^wl_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const body = (await res.json()) as {
      user: { email: string };
      keys: { ingest: string; secret: string };
      project: { id: string };
    };
    expect(body.user.email).toBe(email);
    expect(body.keys.ingest).toMatch(/^wl_ingest_/);
    expect(body.keys.secret).toMatch(/^wl_secret_/);
    const me = (await (await b.request("/api/me")).json()) as {
      orgs: Array<{ role: string; projects: Array<{ id: string }> }>;
    };
    expect(me.orgs).toHaveLength(1);
    expect(me.orgs[0]!.role).toBe("owner");
    expect(me.orgs[0]!.projects.map((p) => p.id)).toEqual([body.project.id]);
    // The new keys work at once.
    expect((await postEvents([makeEvent()], { key: body.keys.ingest })).status).toBe(202);
  });

  it("stores only a PBKDF2 hash of the password and hashes of keys and sessions", async () => {
    const { user, keys, password } = await signUp();
    const row = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?")
      .bind(user.id)
      .first<{ password_hash: string }>();
    expect(row!.password_hash).toMatch(new RegExp(`^pbkdf2-sha256\\$${PBKDF2_ITERATIONS}\\$`));
    expect(row!.password_hash).not.toContain(password);
    const dump =
      JSON.stringify((await env.DB.prepare("SELECT * FROM api_keys").all()).results) +
      JSON.stringify((await env.DB.prepare("SELECT * FROM sessions").all()).results);
    expect(dump).not.toContain(keys.secret);
    expect(dump).not.toContain(keys.ingest);
  });

  it("rejects a duplicate email and bad input with the JSON error shape", async () => {
    const { user } = await signUp();
    const dup = await browser("open").request("/api/auth/signup", {
      method: "POST",
      json: { email: user.email, password: "another-password", name: "X" },
    });
    expect(dup.status).toBe(409);
    const bad = await browser("open").request("/api/auth/signup", {
      method: "POST",
      json: { email: "nope", password: "short", name: "" },
    });
    expect(bad.status).toBe(400);
    const err = (await bad.json()) as { error: { code: string; message: string } };
    expect(err.error.code).toBe("invalid_request");
    expect(err.error.message).toMatch(/email/);
    expect(err.error.message).toMatch(/password/);
  });

  it("logs in, and logout really revokes the session server-side", async () => {
    const { user, password } = await signUp();
    const b = browser();
    expect((await b.request("/api/auth/login", { method: "POST", json: { email: user.email, password } })).status).toBe(
      200,
    );
    const stolen = b.cookie;
    expect((await b.request("/api/me")).status).toBe(200);
    expect((await b.request("/api/auth/logout", { method: "POST" })).status).toBe(200);
    const replay = browser();
    replay.cookie = stolen;
    const after = await replay.request("/api/me");
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  });

  it("answers 429 with Retry-After after repeated failed logins for an email", async () => {
    const { user, password } = await signUp();
    const b = browser();
    for (let i = 0; i < 5; i++) {
      expect(
        (
          await b.request("/api/auth/login", {
            method: "POST",
            json: { email: user.email, password: "wrong-password" },
          })
        ).status,
      ).toBe(401);
    }
    const locked = await b.request("/api/auth/login", { method: "POST", json: { email: user.email, password } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("Retry-After"))).toBeGreaterThan(0);
  });

  it("blocks cross-site cookie-authenticated state changes (CSRF)", async () => {
    const { browser: b, org } = await signUp();
    const forged = await b.request(`/api/orgs/${org.id}/invites`, {
      method: "POST",
      headers: { Origin: "https://evil.example", "Content-Type": "text/plain" },
      body: JSON.stringify({ role: "owner" }),
    });
    expect(forged.status).toBe(403);
    // A JSON body too (a browser would preflight it; anything else that sends the cookie is refused all the same).
    for (const [path, method] of [
      ["/api/orgs", "POST"],
      [`/api/orgs/${org.id}/invites`, "POST"],
    ]) {
      const json = await b.request(path!, {
        method,
        headers: { Origin: "https://evil.example" },
        json: { name: "Evil", role: "owner" },
      });
      expect(json.status).toBe(403);
      expect(((await json.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    }
    const orgs = (await (await b.request("/api/me")).json()) as { orgs: unknown[] };
    expect(orgs.orgs).toHaveLength(1);
    const logout = await b.request("/api/auth/logout", { method: "POST", headers: { Origin: "https://evil.example" } });
    expect(logout.status).toBe(403);
    expect((await b.request("/api/me", { headers: { Origin: ORIGIN } })).status).toBe(200);
    // No body and no Origin (a script with a copied cookie): refused, saying what to send (it said "Request failed.").
    const bare = await SELF.fetch(`${ORIGIN}/api/auth/logout`, { method: "POST", headers: { Cookie: b.cookie } });
    expect(bare.status).toBe(403);
    const { error } = (await bare.json()) as { error: { code: string; message: string; details: unknown } };
    expect(error).toMatchObject({ code: "forbidden", details: { origin: null, sec_fetch_site: null } });
    expect(error.message).toMatch(/must come from the dashboard.*API key/);
    const sameSite = await SELF.fetch(`${ORIGIN}/api/auth/logout`, {
      method: "POST",
      headers: { Cookie: b.cookie, "Sec-Fetch-Site": "same-origin" },
    });
    expect(sameSite.status).toBe(200);
  });
});

describe("sign-up modes", () => {
  it("invite mode needs a valid invite; closed mode refuses; the invite joins its org", async () => {
    const owner = await signUp("Owner");
    const inviteRes = await owner.browser.request(`/api/orgs/${owner.org.id}/invites`, {
      method: "POST",
      json: { role: "viewer" },
    });
    expect(inviteRes.status).toBe(201);
    const { invite } = (await inviteRes.json()) as { invite: { token: string; url: string } };
    expect(invite.url).toContain(`/invite/${invite.token}`);

    const closed = await browser("closed").request("/api/auth/signup", {
      method: "POST",
      json: { email: uniqueEmail(), password: "password1234", name: "C", invite_token: invite.token },
    });
    expect(closed.status).toBe(403);
    const noInvite = await browser("invite").request("/api/auth/signup", {
      method: "POST",
      json: { email: uniqueEmail(), password: "password1234", name: "N" },
    });
    expect(noInvite.status).toBe(403);
    expect(((await noInvite.json()) as { error: { code: string } }).error.code).toBe("signup_closed");

    const guest = browser("invite");
    const ok = await guest.request("/api/auth/signup", {
      method: "POST",
      json: { email: uniqueEmail(), password: "password1234", name: "G", invite_token: invite.token },
    });
    expect(ok.status).toBe(201);
    const me = (await (await guest.request("/api/me")).json()) as { orgs: Array<{ id: string; role: string }> };
    expect(me.orgs.find((o) => o.id === owner.org.id)?.role).toBe("viewer");
    // Single use.
    const again = await browser("invite").request("/api/auth/signup", {
      method: "POST",
      json: { email: uniqueEmail(), password: "password1234", name: "H", invite_token: invite.token },
    });
    expect(again.status).toBe(410);
  });
});

describe("a session reading a project's data (session and membership read together)", () => {
  it("answers 401 signed out, 400 with no project named, 404 for a project not theirs or unknown, and the viewer's role", async () => {
    const owner = await signUp("Owner");
    const other = await signUp("Other");
    const read = (who: ReturnType<typeof browser>, project?: string) =>
      who.request("/api/v1/traces", project ? { headers: { "X-WatchLLM-Project": project } } : {});
    const codeOf = async (res: Response) => [
      res.status,
      ((await res.json()) as { error?: { code: string } }).error?.code,
    ];
    expect(await codeOf(await read(owner.browser, owner.project.id))).toEqual([200, undefined]);
    expect(await codeOf(await read(browser(), owner.project.id))).toEqual([401, "unauthorized"]);
    const expired = browser();
    expired.cookie = "wl_session=not-a-session";
    expect(await codeOf(await read(expired, owner.project.id))).toEqual([401, "unauthorized"]);
    expect(await codeOf(await read(owner.browser))).toEqual([400, "invalid_request"]);
    expect(await codeOf(await read(other.browser, owner.project.id))).toEqual([404, "not_found"]);
    expect(await codeOf(await read(owner.browser, "prj_unknown"))).toEqual([404, "not_found"]);
    const invite = (await (
      await owner.browser.request(`/api/orgs/${owner.org.id}/invites`, { method: "POST", json: { role: "viewer" } })
    ).json()) as { invite: { token: string } };
    const viewer = browser("invite");
    await viewer.request("/api/auth/signup", {
      method: "POST",
      json: { email: uniqueEmail(), password: "password1234", name: "V", invite_token: invite.invite.token },
    });
    expect(await codeOf(await read(viewer, owner.project.id))).toEqual([200, undefined]);
    // The role comes with the membership: a viewer may not see alerts (members and above may), the owner may.
    const alerts = (who: ReturnType<typeof browser>) => who.request(`/api/projects/${owner.project.id}/alerts`);
    expect(await codeOf(await alerts(viewer))).toEqual([403, "forbidden"]);
    expect((await alerts(owner.browser)).status).toBe(200);
  });
});
