// The gateway's own errors: WatchLLM's JSON shape with `watchllm_` codes, so a client never mistakes them for the
// provider's (whose errors pass through untouched).
import { GATEWAY_ERROR_STATUS, type GatewayErrorCode } from "../../contract/errors.ts";

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
  const headers: Record<string, string> = { "Content-Type": "application/json; charset=utf-8" };
  const retryAfter = (err.details as { retry_after_seconds?: number } | null)?.retry_after_seconds;
  if (retryAfter) headers["Retry-After"] = String(retryAfter);
  return new Response(body, { status: err.status, headers });
}
