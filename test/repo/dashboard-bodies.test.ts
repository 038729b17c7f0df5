// The dashboard's writes are typed by the route map's body schemas (ui/lib/api.ts): a wrong body does not compile
// (each `@ts-expect-error` below fails `npm run typecheck` if it stops being an error), and the schema its type comes
// from refuses it at the door as well.
import { describe, expect, it } from "vitest";
import { API_ROUTES } from "../../contract/routes.ts";
import { api } from "../../ui/lib/api.ts";

const signup = { email: "ada@example.com", name: "Ada" };
const role = { role: "king" };
const key = { kind: "root", name: "ci" };

/** Never called: the compiler checks these calls' bodies against the routes they match. */
function pins(project: string, org: string) {
  // @ts-expect-error a sign-up needs a password
  void api("/api/auth/signup", { method: "POST", json: signup });
  // @ts-expect-error a role is one of the roles
  void api(`/api/orgs/${org}/members/u1`, { method: "PATCH", json: role });
  // @ts-expect-error a key is an ingest or a secret key
  void api(`/api/projects/${project}/keys`, { method: "POST", json: key });
  // @ts-expect-error a write whose route has a body schema sends a body
  void api(`/api/orgs/${org}/projects`, { method: "POST" });
  // @ts-expect-error a route without a body schema takes no body
  void api(`/api/projects/${project}/alerts/a1/test`, { method: "POST", json: { force: true } });
  // The right bodies compile, and a bodiless write needs none.
  void api("/api/auth/signup", { method: "POST", json: { ...signup, password: "correct horse battery" } });
  void api(`/api/orgs/${org}/members/u1`, { method: "PATCH", json: { role: "viewer" } });
  void api(`/api/projects/${project}/keys`, { method: "POST", json: { kind: "secret" } });
  void api(`/api/projects/${project}/alerts/a1/test`, { method: "POST" });
}

describe("dashboard request bodies", () => {
  it("are refused by the schemas their types come from where the compiler refuses them", () => {
    expect(pins).toBeTypeOf("function");
    expect(API_ROUTES["POST /api/auth/signup"].body.safeParse(signup).success).toBe(false);
    expect(API_ROUTES["PATCH /api/orgs/:org/members/:user_id"].body.safeParse(role).success).toBe(false);
    expect(API_ROUTES["POST /api/projects/:project/keys"].body.safeParse(key).success).toBe(false);
    expect(API_ROUTES["POST /api/orgs/:org/projects"].body.safeParse(undefined).success).toBe(false);
    expect("body" in API_ROUTES["POST /api/projects/:project/alerts/:alert/test"]).toBe(false);
    expect(API_ROUTES["POST /api/projects/:project/keys"].body.safeParse({ kind: "secret" }).success).toBe(true);
  });
});
