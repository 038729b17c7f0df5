// What went wrong in a failed event, as one line: the error's message wherever the client put it.
import type { TreeEvent } from "./types.ts";

type Failing = Pick<TreeEvent, "type" | "status" | "body" | "preview">;

/** The first string message among the usual places: `message`, `error` (text or `{ message }`), then the output's. */
function messageIn(value: unknown, depth = 0): string | null {
  if (typeof value === "string") return value.trim() || null;
  if (!value || typeof value !== "object" || depth > 2) return null;
  const v = value as Record<string, unknown>;
  for (const key of ["message", "error", "error_message", "reason", "detail"]) {
    const found = messageIn(v[key], depth + 1);
    if (found) return found;
  }
  return depth === 0 ? messageIn(v.output, depth + 1) : null;
}

/** The failure's message (an `error` event, or any event with status `error`); null when it did not fail. */
export function failureOf(e: Failing, body: Record<string, unknown> | null = e.body): string | null {
  if (e.status !== "error" && e.type !== "error") return null;
  const found = messageIn(body);
  const text = found ?? e.preview ?? null;
  return text ? text.replace(/\s+/g, " ").slice(0, 300) : null;
}
