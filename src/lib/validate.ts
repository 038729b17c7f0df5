// zod validation of request parts with our error shape (400 invalid_request, details = zod's error tree).
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import { z } from "zod";
import { ApiError } from "./errors.ts";

export function valid<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw invalid(target, result.error);
  });
}

/** What a refusal calls each request part (Hono's validation targets, and the merged rule a PATCH makes). */
const PART: Record<string, string> = {
  json: "request body",
  form: "form",
  query: "query",
  param: "path",
  header: "headers",
  cookie: "cookies",
};

/** A refusal of `target` (a request part) for zod's `error`: every issue in the message, zod's tree as details. */
export function invalid(target: string, error: Parameters<typeof z.treeifyError>[0]) {
  const part = PART[target] ?? target;
  return new ApiError(
    "invalid_request",
    `Invalid ${part}: ${error.issues.map((i) => `${i.path.join(".") || part} ${i.message}`).join("; ")}`,
    z.treeifyError(error),
  );
}

/**
 * Parses a query with its contract schema (`query` as Hono's `c.req.queries()`: every value of every name). A refusal
 * (400 invalid_request) names the parameter, its value and what is allowed: the names, the values, or the bound.
 */
export function parseQuery<T extends z.ZodObject>(schema: T, query: Record<string, string[]>): z.output<T> {
  const parsed = schema.safeParse(query, { reportInput: true });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const parameter = issue.keys[0];
    throw new ApiError("invalid_request", `Unknown query parameter \`${parameter}\`.`, {
      parameter,
      allowed: Object.keys(schema.shape),
    });
  }
  const parameter = String(issue.path[0]);
  throw new ApiError("invalid_request", `\`${parameter}\`: ${issue.message}.`, {
    parameter,
    value: issue.input,
    ...(issue.code === "invalid_value" && { allowed: issue.values }),
    ...(issue.code === "too_big" && { max: issue.maximum }),
    ...(issue.code === "too_small" && { min: issue.minimum }),
  });
}
