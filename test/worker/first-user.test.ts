import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { browser, uniqueEmail } from "./account-fixtures.ts";

it("lets the first user of a fresh instance sign up in invite mode and makes them its admin; the next needs an invite", async () => {
  const { n } = (await env.DB.prepare("SELECT count(*) AS n FROM users").first<{ n: number }>())!;
  expect(n, "this test needs a fresh instance (isolated storage)").toBe(0);
  const first = await browser("invite").request("/api/auth/signup", {
    method: "POST",
    json: { email: uniqueEmail(), password: "password1234", name: "Root" },
  });
  expect(first.status).toBe(201);
  expect(((await first.json()) as { user: { is_admin: boolean } }).user.is_admin).toBe(true);
  const second = await browser("invite").request("/api/auth/signup", {
    method: "POST",
    json: { email: uniqueEmail(), password: "password1234", name: "Next" },
  });
  expect(second.status).toBe(403);
  const open = await browser("open").request("/api/auth/signup", {
    method: "POST",
    json: { email: uniqueEmail(), password: "password1234", name: "Open" },
  });
  expect(((await open.json()) as { user: { is_admin: boolean } }).user.is_admin).toBe(false);
});
