// Account helpers for tests: requests as a browser would send them (same-origin, cookies kept per user).
import { createExecutionContext, env, SELF } from "cloudflare:test";
import { app } from "../../src/app.ts";

export const ORIGIN = "https://watchllm.test";

export type Browser = {
  cookie: string;
  request: (path: string, init?: RequestInit & { json?: unknown }) => Promise<Response>;
};

function requestInit(init: RequestInit & { json?: unknown } = {}, cookie = "") {
  const headers = new Headers(init.headers);
  if (init.json !== undefined) headers.set("Content-Type", "application/json");
  if (cookie) headers.set("Cookie", cookie);
  if (!headers.has("Origin")) headers.set("Origin", ORIGIN);
  return { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body };
}

/** A cookie jar holding one session, sending same-origin requests through the real Worker. */
export function browser(signupMode?: string, vars: Record<string, string> = {}): Browser {
  const b: Browser = {
    cookie: "",
    async request(path, init) {
      const req = new Request(ORIGIN + path, requestInit(init, b.cookie));
      const overrides = { ...(signupMode && { SIGNUP_MODE: signupMode }), ...vars };
      const res = Object.keys(overrides).length
        ? await app.request(req, undefined, { ...env, ...overrides }, createExecutionContext())
        : await SELF.fetch(req);
      const set = res.headers.get("Set-Cookie");
      if (set) b.cookie = set.split(";")[0]!.endsWith("=") ? "" : set.split(";")[0]!;
      return res;
    },
  };
  return b;
}

let n = 0;
export const uniqueEmail = (tag = "user") => `${tag}-${Date.now()}-${++n}@example.com`;

export type SignedUp = {
  user: { id: string; email: string; is_admin: boolean };
  org: { id: string; name: string };
  project: { id: string; name: string };
  keys: { ingest: string; secret: string };
};

/** Signs a new user up (sign-up mode `open`) and returns the browser holding their session. */
export async function signUp(name = "Ada", email = uniqueEmail(), password = "correct horse battery") {
  const b = browser("open");
  const res = await b.request("/api/auth/signup", { method: "POST", json: { email, password, name } });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${await res.text()}`);
  return { browser: b, password, ...((await res.json()) as SignedUp) };
}

/** An invite link to the owner's org for `role`. */
export async function invite(owner: SignedUp & { browser: Browser }, role: string) {
  const res = await owner.browser.request(`/api/orgs/${owner.org.id}/invites`, { method: "POST", json: { role } });
  if (res.status !== 201) throw new Error(`invite failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { invite: { token: string; id: string } }).invite;
}

/** A new user who signed up and accepted an invite to the owner's org as `role`. */
export async function join(owner: SignedUp & { browser: Browser }, role: string, name = "Member") {
  const member = await signUp(name);
  const { token } = await invite(owner, role);
  const res = await member.browser.request(`/api/invites/${token}/accept`, { method: "POST" });
  if (res.status !== 200) throw new Error(`accepting the invite failed: ${res.status} ${await res.text()}`);
  return member;
}
