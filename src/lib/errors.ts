// ApiError: thrown anywhere, turned into the contract's error body (`{ error: { code, message, details } }`) by the
// app's one error handler, with the status its code has in the contract's list.
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from "../../contract/errors.ts";

export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details: unknown = null) {
    super(ERROR_STATUS[code] as ContentfulStatusCode, { message });
    this.code = code;
    this.details = details;
  }
}

export function errorBody(code: ErrorCode, message: string, details: unknown = null): ErrorBody {
  return { error: { code, message, details } };
}
