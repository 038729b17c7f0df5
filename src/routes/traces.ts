// /api/v1/traces: placeholder, being built for issue 5.
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";

export const tracesRoute = new Hono<AppEnv>();
