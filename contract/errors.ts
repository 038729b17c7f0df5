// The one error shape of the API, `{ error: { code, message, details } }`, and every code with its HTTP status.
import { z } from "zod";

export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_request: 400,
  invalid_body: 400,
  invalid_cursor: 400,
  empty_batch: 400,
  too_many_events: 413,
  payload_too_large: 413,
  unsupported_encoding: 415,
  unsupported_media_type: 415,
  unauthorized: 401,
  invalid_credentials: 401,
  missing_api_key: 401,
  invalid_api_key: 401,
  revoked_api_key: 401,
  forbidden: 403,
  signup_closed: 403,
  not_found: 404,
  conflict: 409,
  invite_expired: 410,
  rate_limited: 429,
  internal_error: 500,
  queue_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const errorBody = z.strictObject({
  error: z.strictObject({
    code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    details: z.unknown(),
  }),
});
export type ErrorBody = z.infer<typeof errorBody>;
