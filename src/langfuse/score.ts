// A Langfuse score (a `score-create` ingestion item's body, or POST /api/public/scores) → a WatchLLM wire score: the
// Langfuse id is the score id (so a resend replaces), `dataType` decides the value's kind (BOOLEAN's 1/0 as true/false,
// CATEGORICAL as its label), the observation is the scored event.
import type { z } from "zod";
import { langfuseScore } from "../../contract/langfuse.ts";
import type { WireScore } from "../../contract/scores.ts";

const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");

function scoreValueOf(s: z.infer<typeof langfuseScore>): WireScore["value"] {
  if (s.dataType === "BOOLEAN") return s.value === 1 || s.value === true || s.value === "true" || s.value === "1";
  if (s.dataType === "CATEGORICAL") return s.stringValue ?? String(s.value);
  return s.value;
}

/** The wire score of a Langfuse score body, or why it can't be one. */
export function fromLangfuseScore(
  body: unknown,
  timestamp?: string | number | null,
): { score: WireScore } | { error: string } {
  const parsed = langfuseScore.safeParse(body);
  if (!parsed.success) return { error: issues(parsed.error) };
  const s = parsed.data;
  const metadata =
    s.metadata !== null && typeof s.metadata === "object" && !Array.isArray(s.metadata)
      ? (s.metadata as Record<string, unknown>)
      : undefined;
  const extra = s.environment ? { environment: s.environment } : undefined;
  const at = typeof timestamp === "string" ? Date.parse(timestamp) : timestamp;
  return {
    score: {
      ...(s.id && { score_id: s.id }),
      trace_id: s.traceId,
      event_id: s.observationId ?? null,
      name: s.name,
      value: scoreValueOf(s),
      comment: s.comment ?? null,
      ...(typeof at === "number" && Number.isFinite(at) && { timestamp: at }),
      ...((metadata || extra) && { context: { metadata: { ...metadata, ...extra } } }),
    },
  };
}
