// /api/v1/sessions: placeholder, being built for issue 5.
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";

export const sessionsRoute = new Hono<AppEnv>();
