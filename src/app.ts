// The Hono app: one sub-app per resource under /api, one error handler turning every failure into the JSON shape.
import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./env.ts";
import { ApiError, errorBody } from "./lib/errors.ts";
import { authRoute } from "./routes/auth.ts";
import { costsRoute, orgCostsRoute } from "./routes/costs.ts";
import { eventsRoute } from "./routes/events.ts";
import { gatewayRoute } from "./routes/gateway.ts";
import { invitesRoute } from "./routes/invites.ts";
import { meRoute } from "./routes/me.ts";
import { orgsRoute } from "./routes/orgs.ts";
import { pricesRoute } from "./routes/prices.ts";
import { projectsRoute } from "./routes/projects.ts";
import { sessionsRoute } from "./routes/sessions.ts";
import { tracesRoute } from "./routes/traces.ts";
import { usersRoute } from "./routes/users.ts";

/** Cookie-authenticated state changes must come from our own origin; the ingest route uses keys and CORS instead. */
const csrfExceptIngest = csrf();

export const app = new Hono<AppEnv>()
  .use("/api/*", secureHeaders())
  .use("/api/*", (c, next) => (c.req.path.startsWith("/api/v1/events") ? next() : csrfExceptIngest(c, next)))
  .get("/api/health", (c) => c.json({ ok: true }))
  .route("/api/auth", authRoute)
  .route("/api/me", meRoute)
  .route("/api/orgs", orgsRoute)
  .route("/api/orgs", orgCostsRoute)
  .route("/api/invites", invitesRoute)
  .route("/api/projects", projectsRoute)
  .route("/api/v1/events", eventsRoute)
  .route("/api/v1/traces", tracesRoute)
  .route("/api/v1/sessions", sessionsRoute)
  .route("/api/v1/users", usersRoute)
  .route("/api/v1/costs", costsRoute)
  .route("/api/v1/prices", pricesRoute)
  .route("/gateway", gatewayRoute);

app.notFound((c) => c.json(errorBody("not_found", `No route for ${c.req.method} ${c.req.path}.`), 404));

app.onError((err, c) => {
  if (err instanceof ApiError) {
    const retryAfter = (err.details as { retry_after_seconds?: number } | null)?.retry_after_seconds;
    if (retryAfter) c.header("Retry-After", String(retryAfter));
    return c.json(errorBody(err.code, err.message, err.details), err.status);
  }
  if (err instanceof HTTPException) {
    const code = err.status === 401 ? "invalid_api_key" : err.status === 403 ? "forbidden" : "invalid_request";
    return c.json(errorBody(code, err.message || "Request failed."), err.status);
  }
  console.error("watchllm: unhandled error", err);
  return c.json(errorBody("internal_error", "Something went wrong on our side."), 500);
});
