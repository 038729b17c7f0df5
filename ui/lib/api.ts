// The one fetch wrapper: JSON in and out, the API's error body turned into a thrown ApiError.
import type { ErrorBody } from "../../contract/errors.ts";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type ApiInit = { method?: string; json?: unknown; project?: string; signal?: AbortSignal };

export async function api<T>(path: string, init: ApiInit = {}): Promise<T> {
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
  const body = (await res.json().catch(() => null)) as (T & Partial<ErrorBody>) | null;
  if (!res.ok) {
    throw new ApiError(
      res.status,
      body?.error?.code ?? "http_error",
      body?.error?.message ?? `Request failed (${res.status})`,
    );
  }
  return body as T;
}

/** What to show for a failure: the API's message, or the error's. */
export const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
