// /api/v1/users: placeholder, being built for issue 5.
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";

export const usersRoute = new Hono<AppEnv>();
