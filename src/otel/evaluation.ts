// The GenAI convention's evaluation result (`gen_ai.evaluation.result`, as a span event or a log record) → a wire
// score of the evaluated span: the score value if there is one, else its label; the explanation as the comment.
import type { WireScore } from "../../contract/scores.ts";
import { type Attributes, toText } from "./attributes.ts";

export const EVALUATION_EVENT = "gen_ai.evaluation.result";

/** The score an evaluation's attributes describe (undefined: no name, or neither a value nor a label). */
export function evaluationScore(
  attrs: Attributes,
  where: { scoreId: string; traceId: string; spanId: string | null; timestamp: number },
): WireScore | undefined {
  const name = toText(attrs["gen_ai.evaluation.name"]);
  const raw = attrs["gen_ai.evaluation.score.value"];
  const number = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() ? Number(raw) : Number.NaN;
  const label = toText(attrs["gen_ai.evaluation.score.label"]);
  const value = Number.isFinite(number) ? number : label;
  if (!name || value === undefined) return undefined;
  const explanation = toText(attrs["gen_ai.evaluation.explanation"]);
  return {
    score_id: where.scoreId,
    trace_id: where.traceId,
    event_id: where.spanId,
    name: name.slice(0, 200),
    value: typeof value === "string" ? value.slice(0, 200) : value,
    comment: explanation?.slice(0, 4000) ?? null,
    source: "eval",
    timestamp: where.timestamp,
    ...(Number.isFinite(number) && label && { context: { metadata: { label } } }),
  };
}
