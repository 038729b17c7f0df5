// The Hono app: one sub-app per resource under /api, one error handler turning every failure into the JSON shape.
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./env.ts";
import { ApiError, errorBody } from "./lib/errors.ts";
import { eventsRoute } from "./routes/events.ts";

export const app = new Hono<AppEnv>()
  .get("/api/health", (c) => c.json({ ok: true }))
  .route("/api/v1/events", eventsRoute);

app.notFound((c) => c.json(errorBody("not_found", `No route for ${c.req.method} ${c.req.path}.`), 404));

app.onError((err, c) => {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.details), err.status);
  if (err instanceof HTTPException) {
    const code = err.status === 401 ? "invalid_api_key" : err.status === 403 ? "forbidden" : "invalid_request";
    return c.json(errorBody(code, err.message || "Request failed."), err.status);
  }
  console.error("watchllm: unhandled error", err);
  return c.json(errorBody("internal_error", "Something went wrong on our side."), 500);
});
