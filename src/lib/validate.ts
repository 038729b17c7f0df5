// zod validation of request parts with our error shape (400 invalid_request, details = zod's error tree).
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import { z } from "zod";
import { ApiError } from "./errors.ts";

export function valid<T extends z.ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      throw new ApiError(
        "invalid_request",
        `Invalid ${target}: ${result.error.issues.map((i) => `${i.path.join(".") || target} ${i.message}`).join("; ")}`,
        z.treeifyError(result.error),
      );
    }
  });
}
