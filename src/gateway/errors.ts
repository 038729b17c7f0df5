// The gateway's own errors: WatchLLM's JSON shape with `watchllm_` codes, so a client never mistakes them for the
// provider's (whose errors pass through untouched).
import type { ContentfulStatusCode } from "hono/utils/http-status";

export const GATEWAY_ERROR_STATUS = {
  watchllm_missing_auth: 401,
  watchllm_invalid_auth: 401,
  watchllm_revoked_auth: 401,
  watchllm_invalid_header: 400,
  watchllm_missing_target: 400,
  watchllm_invalid_target: 400,
  watchllm_target_refused: 403,
  watchllm_request_too_large: 413,
  watchllm_not_found: 404,
  watchllm_upstream_unreachable: 502,
  watchllm_upstream_timeout: 504,
  watchllm_internal_error: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type GatewayErrorCode = keyof typeof GATEWAY_ERROR_STATUS;

export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  readonly details: unknown;
  constructor(code: GatewayErrorCode, message: string, details: unknown = null) {
    super(message);
    this.code = code;
    this.details = details;
  }

  get status() {
    return GATEWAY_ERROR_STATUS[this.code];
  }
}

/** The JSON answer for a gateway error. */
export function gatewayErrorResponse(err: GatewayError): Response {
  const body = JSON.stringify({ error: { code: err.code, message: err.message, details: err.details } });
  return new Response(body, { status: err.status, headers: { "Content-Type": "application/json; charset=utf-8" } });
}
