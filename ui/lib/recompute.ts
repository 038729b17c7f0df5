// Re-prices a project's past model calls with its current prices, one server step (1,000 events) at a time.
import type { Answer } from "../../contract/routes.ts";
import { api } from "../lib/api.ts";

export async function recomputeCosts(project: string, from: number, to: number, onProgress: (updated: number) => void) {
  let cursor: string | null = null;
  let updated = 0;
  do {
    const step: Answer<"/api/v1/prices/recompute", "POST"> = await api("/api/v1/prices/recompute", {
      method: "POST",
      project,
      json: { from, to, ...(cursor && { cursor }) },
    });
    updated += step.updated;
    cursor = step.next_cursor;
    onProgress(updated);
  } while (cursor);
  return updated;
}
