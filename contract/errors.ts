// The one error shape of the API, `{ error: { code, message, details } }`, and every code with its HTTP status.
import { z } from "zod";

export const ERROR_STATUS = {
  invalid_json: 400,
  invalid_request: 400,
  invalid_body: 400,
  invalid_cursor: 400,
  empty_batch: 400,
  too_many_events: 413,
  too_many_scores: 413,
  payload_too_large: 413,
  unsupported_encoding: 415,
  unsupported_media_type: 415,
  unauthorized: 401,
  invalid_credentials: 401,
  missing_api_key: 401,
  invalid_api_key: 401,
  revoked_api_key: 401,
  forbidden: 403,
  plan_limit: 403,
  signup_closed: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  invite_expired: 410,
  rate_limited: 429,
  quota_exceeded: 429,
  internal_error: 500,
  queue_unavailable: 503,
  storage_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The gateway's own errors (provider errors pass through untouched): `watchllm_` codes no provider uses. */
export const GATEWAY_ERROR_STATUS = {
  watchllm_missing_auth: 401,
  watchllm_invalid_auth: 401,
  watchllm_revoked_auth: 401,
  watchllm_invalid_header: 400,
  watchllm_missing_target: 400,
  watchllm_invalid_target: 400,
  watchllm_target_refused: 403,
  watchllm_plan_limit: 403,
  watchllm_rate_limited: 429,
  watchllm_quota_exceeded: 429,
  watchllm_request_too_large: 413,
  watchllm_not_found: 404,
  watchllm_upstream_unreachable: 502,
  watchllm_upstream_redirect: 502,
  watchllm_upstream_timeout: 504,
  watchllm_internal_error: 500,
} as const;

export type GatewayErrorCode = keyof typeof GATEWAY_ERROR_STATUS;

export const errorBody = z.strictObject({
  error: z.strictObject({
    code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    details: z.unknown(),
  }),
});
export type ErrorBody = z.infer<typeof errorBody>;
