// /gateway/*: the LLM gateway. Point a provider client's base URL here and every call is recorded (docs/gateway.md).
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import { GatewayError, gatewayErrorResponse } from "../gateway/errors.ts";
import { proxy } from "../gateway/proxy.ts";
import { checkTarget } from "../gateway/target.ts";
import { log, requestIdOf } from "../lib/log.ts";

const trim = (base: string) => base.replace(/\/+$/, "");
/** The path after a route's prefix as the client sent it (not percent-decoded, unlike c.req.path), e.g. `/chat/completions`. */
const after = (url: string, prefix: string) => new URL(url).pathname.slice(prefix.length);

export const gatewayRoute = new Hono<AppEnv>()
  // Browsers preflight without credentials: answered here, as the upstream would never see WatchLLM-Auth.
  .options("*", (c, next) => {
    if (!c.req.header("Access-Control-Request-Method")) return next();
    return c.body(null, 204, {
      "Access-Control-Allow-Origin": c.req.header("Origin") ?? "*",
      "Access-Control-Allow-Methods": c.req.header("Access-Control-Request-Method")!,
      "Access-Control-Allow-Headers": c.req.header("Access-Control-Request-Headers") ?? "",
      "Access-Control-Max-Age": "86400",
      Vary: "Origin",
    });
  })
  .all("/openai/v1/*", (c) =>
    proxy(
      c,
      () => ({ base: trim(c.env.OPENAI_UPSTREAM_URL), provider: "openai", variable: "OPENAI_UPSTREAM_URL" }),
      after(c.req.url, "/gateway/openai/v1"),
    ),
  )
  .all("/anthropic/v1/*", (c) =>
    proxy(
      c,
      () => ({ base: trim(c.env.ANTHROPIC_UPSTREAM_URL), provider: "anthropic", variable: "ANTHROPIC_UPSTREAM_URL" }),
      after(c.req.url, "/gateway/anthropic/v1"),
    ),
  )
  .all("/v1/*", (c) =>
    proxy(
      c,
      (keyKind) => checkTarget(c.req.header("WatchLLM-Target-URL"), c.env.GATEWAY_ALLOWED_HOSTS, keyKind),
      after(c.req.url, "/gateway/v1"),
    ),
  )
  .all("*", () => {
    throw new GatewayError(
      "watchllm_not_found",
      "Gateway routes: /gateway/openai/v1/*, /gateway/anthropic/v1/*, /gateway/v1/* (with WatchLLM-Target-URL).",
    );
  });

gatewayRoute.onError((err, c) => {
  if (err instanceof GatewayError) return gatewayErrorResponse(err);
  log.error("gateway.unhandled_error", err, { request_id: requestIdOf(c.req.raw) });
  return gatewayErrorResponse(
    new GatewayError("watchllm_internal_error", "Something went wrong in the WatchLLM gateway."),
  );
});
