// Folds the parts of an event (creates before updates, then in the client's order) into one wire event: a later part's
// fields replace earlier ones, body and context merge key by key (`metadata` and `langfuse` one level deeper, tags
// unioned), usage merges, the start is the earliest `timestamp` and the end the latest `end`. A part's `fallback`
// fields (an update's type and time) count only when no part sets them; `first_token_at` becomes `first_token_ms`.
// Whatever the parts' arrival order, the fold is the same.
import { LIMITS } from "../../contract/limits.ts";
import type { Folded, PartRow } from "../db/writes/parts.ts";
import { validateEvents } from "./validate.ts";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
const ms = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" ? Date.parse(v) : Number.NaN);
const DEEPER = new Set(["metadata", "langfuse"]);
/** The longest duration (and first-token time) the wire event takes. */
const MAX_SPAN_MS = 30 * 86_400_000;

function merge(into: Json | undefined, from: Json): Json {
  const out: Json = { ...into };
  for (const [k, v] of Object.entries(from)) {
    if (v === undefined || v === null) continue;
    if (DEEPER.has(k) && isObject(v) && isObject(out[k])) out[k] = { ...(out[k] as Json), ...v };
    else if (k === "tags" && Array.isArray(v) && Array.isArray(out[k]))
      out[k] = [...new Set([...(out[k] as unknown[]), ...v])].slice(0, LIMITS.maxTags);
    else out[k] = v;
  }
  return out;
}

/** One event from its parts (already in folding order); not necessarily valid: an update alone has no start. */
export function foldParts(parts: readonly Pick<PartRow, "event_id" | "trace_id" | "fields">[]): Json {
  const out: Json = {};
  const fallback: Json = {};
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  let firstToken = Number.NaN;
  for (const part of parts) {
    const fields = JSON.parse(part.fields) as Json;
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined || v === null) continue;
      if (k === "timestamp") start = Math.min(start, ms(v));
      else if (k === "end") end = Math.max(end, ms(v));
      else if (k === "first_token_at") firstToken = ms(v);
      else if (k === "fallback" && isObject(v)) {
        for (const [fk, fv] of Object.entries(v)) if (!(fk in fallback)) fallback[fk] = fv;
      } else if ((k === "body" || k === "context" || k === "usage") && isObject(v)) out[k] = merge(out[k] as Json, v);
      else out[k] = v;
    }
  }
  if (!Number.isFinite(start) && fallback.timestamp !== undefined) start = ms(fallback.timestamp);
  if (out.type === undefined && fallback.type !== undefined) out.type = fallback.type;
  const first = parts[0];
  if (first) Object.assign(out, { event_id: first.event_id, trace_id: out.trace_id ?? first.trace_id });
  if (Number.isFinite(start)) out.timestamp = start;
  // Spans the contract can't take are left out rather than making the whole event invalid (and never stored).
  const span = (until: number) => (until - start >= 0 && until - start <= MAX_SPAN_MS ? until - start : undefined);
  if (Number.isFinite(start) && Number.isFinite(end)) out.duration_ms = span(end) ?? (end < start ? 0 : undefined);
  if (Number.isFinite(start) && Number.isFinite(firstToken)) out.first_token_ms = span(firstToken);
  return out;
}

/** The events the parts now make, each with its revision (how many parts it folds); parts that don't yet, skipped. */
export function foldedEvents(rows: readonly PartRow[], receivedAt: number): Folded[] {
  const groups = new Map<string, PartRow[]>();
  for (const row of rows) {
    const key = `${row.project_id}\u0000${row.event_id}`;
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  const out: Folded[] = [];
  for (const parts of groups.values()) {
    const { events } = validateEvents([foldParts(parts)]);
    const event = events[0];
    if (event) out.push({ project_id: parts[0]!.project_id, received_at: receivedAt, event, revision: parts.length });
  }
  return out;
}
