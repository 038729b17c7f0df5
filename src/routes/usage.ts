// GET /api/orgs/:org/usage: the org's usage (events, stored bytes, gateway calls) by project, way in and day, and this
// month against its plan. Owners and admins.
import { Hono } from "hono";
import { usageParams } from "../../contract/usage.ts";
import { orgAccess, requireUser } from "../auth/middleware.ts";
import type { AppEnv } from "../env.ts";
import { answer } from "../lib/answer.ts";
import { valid } from "../lib/validate.ts";
import { usageReport } from "../usage/report.ts";

export const orgUsageRoute = new Hono<AppEnv>().get(
  "/:org/usage",
  requireUser,
  orgAccess("admin", "see the org's usage"),
  valid("query", usageParams),
  async (c) =>
    answer(c, "GET /api/orgs/:org/usage", await usageReport(c.env, c.req.param("org"), c.req.valid("query"))),
);
