// The one fetch wrapper: JSON in and out, the API's error body turned into a thrown ApiError.
import type { ErrorBody } from "../../contract/errors.ts";
import type { Answer, ApiUrl, Body, Method } from "../../contract/routes.ts";

/** A failed request: the HTTP status, and the API's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type ApiInit = { method?: Method; json?: unknown; project?: string; signal?: AbortSignal };
type Write = Exclude<Method, "GET">;
/** A write's `json`: required where its route has a body schema, else at most `{}`. */
type JsonOf<B> = [B] extends [undefined] ? { json?: Record<string, never> } : { json: B };

/**
 * A request typed by the contract's route for its method and URL (contract/routes.ts): a write names its method, and
 * its `json` body is checked against the route's body schema (its input type), as its answer is typed by the route's.
 */
export function api<U extends ApiUrl>(path: U, init?: ApiInit & { method?: "GET"; json?: never }): Promise<Answer<U>>;
export function api<M extends Write, U extends ApiUrl<M>>(
  path: U,
  init: Omit<ApiInit, "json"> & { method: M } & JsonOf<Body<U, M>>,
): Promise<Answer<U, M>>;
export function api(path: string, init: ApiInit = {}): Promise<unknown> {
  return request(path, init);
}

/** The untyped request under `api` (for the hooks, whose callers' paths type the answer). */
export async function request(path: string, init: ApiInit = {}): Promise<unknown> {
  const headers: Record<string, string> = {};
  if (init.json !== undefined) headers["Content-Type"] = "application/json";
  if (init.project) headers["X-WatchLLM-Project"] = init.project;
  const res = await fetch(path, {
    method: init.method ?? (init.json !== undefined ? "POST" : "GET"),
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
    credentials: "same-origin",
    signal: init.signal,
  });
  return answerOf(res);
}

/** A response's JSON answer, or the ApiError it carries. */
export async function answerOf(res: Response): Promise<unknown> {
  const body = (await res.json().catch(() => null)) as Partial<ErrorBody> | null;
  if (!res.ok) {
    throw new ApiError(res.status, body?.error?.message ?? `Request failed (${res.status})`);
  }
  return body;
}

/** What to show for a failure: the API's message, or the error's. */
export const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
