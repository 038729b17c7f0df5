// The Hono app: one sub-app per resource under /api, one error handler turning every failure into the JSON shape.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { timing } from "hono/timing";
import { API_ROUTES } from "../contract/routes.ts";
import type { AppEnv } from "./env.ts";
import { backlog } from "./ingest/backlog.ts";
import { answer } from "./lib/answer.ts";
import { ApiError, errorBody } from "./lib/errors.ts";
import { log, requestIdOf } from "./lib/log.ts";
import { alertsRoute } from "./routes/alerts.ts";
import { authRoute } from "./routes/auth.ts";
import { costsRoute, orgCostsRoute } from "./routes/costs.ts";
import { deletionsRoute } from "./routes/deletions.ts";
import { eventsRoute } from "./routes/events.ts";
import { gatewayRoute } from "./routes/gateway.ts";
import { invitesRoute } from "./routes/invites.ts";
import { langfuseRoute } from "./routes/langfuse.ts";
import { langfuseScoresRoute } from "./routes/langfuse-scores.ts";
import { meRoute } from "./routes/me.ts";
import { metricsRoute } from "./routes/metrics.ts";
import { orgDataRoute } from "./routes/org-data.ts";
import { orgsRoute } from "./routes/orgs.ts";
import { otelRoute } from "./routes/otel.ts";
import { pricesRoute } from "./routes/prices.ts";
import { projectScoresRoute } from "./routes/project-scores.ts";
import { projectsRoute } from "./routes/projects.ts";
import { scoresRoute } from "./routes/scores.ts";
import { sessionsRoute } from "./routes/sessions.ts";
import { projectSharesRoute, publicShareRoute } from "./routes/shares.ts";
import { tracesRoute } from "./routes/traces.ts";
import { orgUsageRoute } from "./routes/usage.ts";
import { usersRoute } from "./routes/users.ts";

/**
 * Machine-to-machine ways in: they authenticate with keys (no cookies, so no CSRF), take large bodies under their own
 * limits, and are open to any origin. Every other route is the dashboard's.
 */
const MACHINE_PATHS = ["/api/v1/events", "/api/v1/scores", "/api/v1/otel", "/api/public/otel", "/api/public/ingestion"];
const isMachine = (path: string) => MACHINE_PATHS.some((p) => path === p || path.startsWith(`${p}/`));

/** Dashboard requests are small JSON: refuse anything bigger before reading it all. */
const DASHBOARD_MAX_BODY = 64 * 1024;

/** Cookie-authenticated state changes must come from our own origin (Origin / Sec-Fetch-Site check). */
const dashboardCsrf = csrf();
const dashboardBodyLimit = bodyLimit({
  maxSize: DASHBOARD_MAX_BODY,
  onError: () => {
    throw new ApiError("payload_too_large", `Request body exceeds ${DASHBOARD_MAX_BODY} bytes.`, {
      max_bytes: DASHBOARD_MAX_BODY,
    });
  },
});

export const app = new Hono<AppEnv>()
  // Server-Timing: how long the Worker took to answer (its reads included), beside the network time a page sees.
  .use("/api/*", timing({ totalDescription: "Worker" }))
  .use("/api/*", secureHeaders())
  // Answers carry keys, sessions and project data: no shared or browser cache keeps them, unless a route says
  // otherwise (trace reads revalidate with their ETag).
  .use("/api/*", async (c, next) => {
    await next();
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", "no-store");
  })
  // A request carrying an Authorization header can't be forged cross-site (a form can't set it, and no route besides
  // ingest answers a CORS preflight), so API-key calls from servers skip the Origin check; such a request is
  // authenticated by that header alone, never by a session cookie (src/auth/sessions.ts). Hono's csrf() judges only
  // the bodies a cross-site form can send (form-encoded, multipart, text/plain); any other state change naming another
  // origin is refused here too, rather than left to the browser's preflight.
  .use("/api/*", async (c, next) => {
    if (isMachine(c.req.path) || c.req.header("Authorization")) return next();
    const origin = c.req.header("Origin");
    if (origin && !/^(GET|HEAD)$/.test(c.req.method) && origin !== new URL(c.req.url).origin)
      throw new ApiError("forbidden", "Requests from another site can't change dashboard data.", { origin });
    // csrf() refuses with a bare 403; its refusals (a form-like or empty body without our Origin or a same-origin
    // Sec-Fetch-Site) get a message that says what to send. Errors after it, from the route, pass through.
    let passed = false;
    try {
      return await dashboardCsrf(c, () => {
        passed = true;
        return next();
      });
    } catch (err) {
      if (passed || !(err instanceof HTTPException) || err.status !== 403) throw err;
      throw new ApiError(
        "forbidden",
        "A signed-in change must come from the dashboard: no Origin or same-origin Sec-Fetch-Site header named it " +
          "(browsers send them; scripts use an API key).",
        { origin: origin ?? null, sec_fetch_site: c.req.header("Sec-Fetch-Site") ?? null },
      );
    }
  })
  .use("/api/*", (c, next) => (isMachine(c.req.path) ? next() : dashboardBodyLimit(c, next)))
  // Locally (`npm start`, LOCAL_MODE), also how many accepted events the in-memory queue still holds.
  .get("/api/health", (c) =>
    answer(
      c,
      "GET /api/health",
      c.env.LOCAL_MODE === "true" ? { ok: true, queue_backlog: backlog.pending } : { ok: true },
    ),
  )
  .route("/api/auth", authRoute)
  .route("/api/me", meRoute)
  .route("/api/orgs", orgsRoute)
  .route("/api/orgs", orgCostsRoute)
  .route("/api/orgs", orgDataRoute)
  .route("/api/orgs", orgUsageRoute)
  .route("/api/invites", invitesRoute)
  .route("/api/projects", projectsRoute)
  .route("/api/projects", projectScoresRoute)
  .route("/api/projects", alertsRoute)
  .route("/api/projects", projectSharesRoute)
  .route("/api/share", publicShareRoute)
  .route("/api/v1/events", eventsRoute)
  .route("/api/v1/scores", scoresRoute)
  .route("/api/v1/otel", otelRoute)
  .route("/api/public/otel", otelRoute)
  .route("/api/public/ingestion", langfuseRoute)
  .route("/api/public/scores", langfuseScoresRoute)
  .route("/api/v1/traces", tracesRoute)
  .route("/api/v1/sessions", sessionsRoute)
  .route("/api/v1/users", usersRoute)
  .route("/api/v1/deletions", deletionsRoute)
  .route("/api/v1/metrics", metricsRoute)
  .route("/api/v1/costs", costsRoute)
  .route("/api/v1/prices", pricesRoute)
  .route("/gateway", gatewayRoute);

/** The contract's routes as path patterns, each with its method: a path that exists under another method is a 405. */
const ROUTE_PATTERNS = Object.keys(API_ROUTES).map((route) => {
  const [method, path] = route.split(" ") as [string, string];
  const pattern = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:[a-z_]+/g, "[^/]+");
  return { method, path: new RegExp(`^${pattern}$`) };
});

app.notFound((c) => {
  const allowed = [...new Set(ROUTE_PATTERNS.filter((r) => r.path.test(c.req.path)).map((r) => r.method))];
  if (allowed.length && !allowed.includes(c.req.method)) {
    c.header("Allow", allowed.join(", "));
    const message = `${c.req.method} is not allowed on ${c.req.path}: use ${allowed.join(" or ")}.`;
    return c.json(errorBody("method_not_allowed", message, { allowed }), 405);
  }
  return c.json(errorBody("not_found", `No route for ${c.req.method} ${c.req.path}.`), 404);
});

app.onError((err, c) => {
  if (err instanceof ApiError) {
    const retryAfter = (err.details as { retry_after_seconds?: number } | null)?.retry_after_seconds;
    if (retryAfter) c.header("Retry-After", String(retryAfter));
    return c.json(errorBody(err.code, err.message, err.details), err.status);
  }
  // Hono's JSON validator refuses an unparsable body with this message: the same refusal as the ingest routes'.
  if (err instanceof HTTPException && err.status === 400 && err.message === "Malformed JSON in request body")
    return c.json(errorBody("invalid_json", "Request body is not valid JSON."), 400);
  if (err instanceof HTTPException) {
    const code = err.status === 401 ? "invalid_api_key" : err.status === 403 ? "forbidden" : "invalid_request";
    return c.json(errorBody(code, err.message || "Request failed."), err.status);
  }
  log.error("request.unhandled_error", err, { request_id: requestIdOf(c.req.raw), path: c.req.path });
  return c.json(errorBody("internal_error", "Something went wrong on our side."), 500);
});
