// The one error shape of the API: { error: { code, message, details } }, with every code in one list.
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_request: 400,
  empty_batch: 400,
  invalid_body: 400,
  unsupported_encoding: 415,
  unsupported_media_type: 415,
  too_many_events: 413,
  payload_too_large: 413,
  unauthorized: 401,
  invalid_credentials: 401,
  missing_api_key: 401,
  invalid_api_key: 401,
  revoked_api_key: 401,
  forbidden: 403,
  signup_closed: 403,
  not_found: 404,
  invite_expired: 410,
  conflict: 409,
  method_not_allowed: 405,
  rate_limited: 429,
  queue_unavailable: 503,
  internal_error: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export type ErrorBody = { error: { code: ErrorCode; message: string; details: unknown } };

export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  readonly details: unknown;
  constructor(code: ErrorCode, message: string, details: unknown = null) {
    super(ERROR_STATUS[code], { message });
    this.code = code;
    this.details = details;
  }
}

export function errorBody(code: ErrorCode, message: string, details: unknown = null): ErrorBody {
  return { error: { code, message, details } };
}
