import { describe, expect, it } from "vitest";
import { browser, invite, join, signUp } from "./account-fixtures.ts";
import { makeEvent, postEvents } from "./fixtures.ts";

describe("orgs, projects, members, invites", () => {
  it("creates orgs and projects (with keys) and lists them in /api/me", async () => {
    const u = await signUp();
    const org = (await (await u.browser.request("/api/orgs", { method: "POST", json: { name: "Acme" } })).json()) as {
      org: { id: string };
    };
    const created = await u.browser.request(`/api/orgs/${org.org.id}/projects`, {
      method: "POST",
      json: { name: "chatbot" },
    });
    expect(created.status).toBe(201);
    const { project, keys } = (await created.json()) as { project: { id: string }; keys: { ingest: string } };
    expect((await postEvents([makeEvent()], { key: keys.ingest })).status).toBe(202);
    const me = (await (await u.browser.request("/api/me")).json()) as {
      orgs: Array<{ id: string; projects: Array<{ id: string }> }>;
    };
    expect(me.orgs.find((o) => o.id === org.org.id)?.projects.map((p) => p.id)).toEqual([project.id]);
    // Each org lists its own projects (read in one query with the memberships), and no one else's org or project.
    const other = await signUp("Other");
    const mine = me.orgs.flatMap((o) => o.projects.map((p) => p.id));
    expect(new Set(mine).size).toBe(mine.length);
    expect(me.orgs.map((o) => o.id)).not.toContain(other.org.id);
    expect(mine).not.toContain(other.project.id);
    expect(me.orgs.find((o) => o.id === u.org.id)?.projects.map((p) => p.id)).toEqual([u.project.id]);
  });

  it("previews an invite, accepts it once, and shows the member with their role", async () => {
    const owner = await signUp("Owner");
    const { token } = await invite(owner, "member");
    const preview = await browser().request(`/api/invites/${token}`);
    expect(await preview.json()).toMatchObject({ invite: { org_name: owner.org.name, role: "member" } });
    const member = await signUp("Bob");
    expect((await member.browser.request(`/api/invites/${token}/accept`, { method: "POST" })).status).toBe(200);
    expect((await member.browser.request(`/api/invites/${token}/accept`, { method: "POST" })).status).toBe(410);
    const members = (await (await owner.browser.request(`/api/orgs/${owner.org.id}/members`)).json()) as {
      members: Array<{ email: string; role: string }>;
    };
    expect(members.members.map((m) => [m.email, m.role])).toEqual([
      [owner.user.email, "owner"],
      [member.user.email, "member"],
    ]);
  });

  it("enforces roles: viewers read, members can't manage, admins can't touch owners, the last owner stays", async () => {
    const owner = await signUp("Owner");
    const viewer = await join(owner, "viewer");
    const admin = await join(owner, "admin");
    expect((await viewer.browser.request(`/api/orgs/${owner.org.id}/projects`)).status).toBe(200);
    expect(
      (await viewer.browser.request(`/api/orgs/${owner.org.id}/projects`, { method: "POST", json: { name: "x" } }))
        .status,
    ).toBe(403);
    expect(
      (
        await viewer.browser.request(`/api/projects/${owner.project.id}/keys`, {
          method: "POST",
          json: { kind: "secret" },
        })
      ).status,
    ).toBe(403);
    expect(
      (await viewer.browser.request(`/api/orgs/${owner.org.id}/invites`, { method: "POST", json: { role: "admin" } }))
        .status,
    ).toBe(403);
    // Admins manage members but not owners.
    expect(
      (
        await admin.browser.request(`/api/orgs/${owner.org.id}/members/${viewer.user.id}`, {
          method: "PATCH",
          json: { role: "member" },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await admin.browser.request(`/api/orgs/${owner.org.id}/members/${owner.user.id}`, {
          method: "PATCH",
          json: { role: "viewer" },
        })
      ).status,
    ).toBe(403);
    expect(
      (await admin.browser.request(`/api/orgs/${owner.org.id}/invites`, { method: "POST", json: { role: "owner" } }))
        .status,
    ).toBe(403);
    // The last owner can neither be demoted nor leave.
    const demote = await owner.browser.request(`/api/orgs/${owner.org.id}/members/${owner.user.id}`, {
      method: "PATCH",
      json: { role: "admin" },
    });
    expect(demote.status).toBe(409);
    expect(
      (await owner.browser.request(`/api/orgs/${owner.org.id}/members/${owner.user.id}`, { method: "DELETE" })).status,
    ).toBe(409);
    // A member can leave; afterwards the org is invisible to them.
    expect(
      (await viewer.browser.request(`/api/orgs/${owner.org.id}/members/${viewer.user.id}`, { method: "DELETE" }))
        .status,
    ).toBe(200);
    expect((await viewer.browser.request(`/api/orgs/${owner.org.id}/projects`)).status).toBe(404);
  });

  it("expired and revoked invites can't be used", async () => {
    const owner = await signUp("Owner");
    const revoked = await invite(owner, "member");
    expect(
      (await owner.browser.request(`/api/orgs/${owner.org.id}/invites/${revoked.id}`, { method: "DELETE" })).status,
    ).toBe(200);
    const someone = await signUp("Late");
    expect((await someone.browser.request(`/api/invites/${revoked.token}/accept`, { method: "POST" })).status).toBe(
      404,
    );
    const { env } = await import("cloudflare:test");
    const expiring = await invite(owner, "member");
    await env.DB.prepare("UPDATE invites SET expires_at = 1 WHERE id = ?").bind(expiring.id).run();
    expect((await someone.browser.request(`/api/invites/${expiring.token}/accept`, { method: "POST" })).status).toBe(
      410,
    );
  });
});

describe("API keys", () => {
  it("shows a new key once, lists only its prefix, records last use, and revocation refuses it at once", async () => {
    const u = await signUp();
    const res = await u.browser.request(`/api/projects/${u.project.id}/keys`, {
      method: "POST",
      json: { kind: "ingest", name: "web" },
    });
    expect(res.status).toBe(201);
    const { key } = (await res.json()) as { key: { id: string; key: string; prefix: string } };
    expect(key.key.startsWith(key.prefix)).toBe(true);
    expect((await postEvents([makeEvent()], { key: key.key })).status).toBe(202);
    const listed = (await (await u.browser.request(`/api/projects/${u.project.id}/keys`)).json()) as {
      keys: Array<Record<string, unknown>>;
    };
    expect(JSON.stringify(listed)).not.toContain(key.key);
    const row = listed.keys.find((k) => k.id === key.id)!;
    expect(row.prefix).toBe(key.prefix);
    expect(row.last_used_at).toEqual(expect.any(Number));
    expect((await u.browser.request(`/api/projects/${u.project.id}/keys/${key.id}`, { method: "DELETE" })).status).toBe(
      200,
    );
    const refused = await postEvents([makeEvent()], { key: key.key });
    expect(refused.status).toBe(401);
  });

  it("ingest keys can't read; secret keys read their own project only", async () => {
    const u = await signUp();
    const asKey = (key: string) =>
      browser().request(`/api/projects/${u.project.id}`, { headers: { Authorization: `Bearer ${key}` } });
    expect((await asKey(u.keys.ingest)).status).toBe(403);
    expect((await asKey(u.keys.secret)).status).toBe(200);
    const other = await signUp();
    expect((await asKey(other.keys.secret)).status).toBe(404);
  });
});
