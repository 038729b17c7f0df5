// Score rows → the contract's answers: one score, and the summary rows folded per name and bucket.
import type { ScoreSummaryAnswer, ScoreView } from "../../contract/scores.ts";
import type { ScoreRow } from "../db/schema.ts";

export function scoreView(r: ScoreRow): ScoreView {
  return {
    score_id: r.scoreId,
    trace_id: r.traceId,
    event_id: r.eventId,
    name: r.name,
    kind: r.kind,
    value: r.kind === "categorical" ? (r.valueStr ?? "") : r.kind === "boolean" ? r.valueNum === 1 : (r.valueNum ?? 0),
    comment: r.comment,
    source: r.source,
    timestamp: r.ts,
    user_id: r.userId,
    metadata: r.metadata === null ? null : (JSON.parse(r.metadata) as Record<string, unknown>),
    author_kind: r.authorKind,
    author_id: r.authorId,
    received_at: r.receivedAt,
  };
}

type SummaryGroup = {
  name: string;
  bucket: number;
  label: string | null;
  count: number;
  numbers: number;
  sum: number | null;
};

/** Folds (name, bucket, label) groups into one row per name and bucket. */
export function summaryRows(groups: SummaryGroup[]): ScoreSummaryAnswer["rows"] {
  const rows = new Map<string, ScoreSummaryAnswer["rows"][number] & { numbers: number; sum: number }>();
  for (const g of groups) {
    const key = `${g.name}\u0000${g.bucket}`;
    const row = rows.get(key) ?? {
      name: g.name,
      bucket: g.bucket,
      count: 0,
      avg: null,
      values: null,
      numbers: 0,
      sum: 0,
    };
    row.count += g.count;
    row.numbers += g.numbers;
    row.sum += g.sum ?? 0;
    if (g.label !== null) row.values = { ...row.values, [g.label]: (row.values?.[g.label] ?? 0) + g.count };
    rows.set(key, row);
  }
  return [...rows.values()].map(({ numbers, sum, ...row }) => ({ ...row, avg: numbers ? sum / numbers : null }));
}
