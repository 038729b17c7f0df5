// Langfuse ingestion items → WatchLLM. Traces and observations arrive as create and update items in any order and
// batch, so each becomes an event *part* (the consumer stores the fold of all of an event's parts); a score is a score
// (./score.ts); SDK logs are acknowledged and dropped. A Langfuse trace is the root `span` of its
// trace (event id = trace id); observations hang under their parent observation, else under the trace; an observation
// without a trace is the root of its own (as Langfuse wraps it in a trace of its id). What has no WatchLLM field
// (Langfuse's type, model parameters, level, version, usage and cost details, ids that had to be bounded) is kept in
// the body's `langfuse` object; metadata in the body's `metadata`, as sent (`{ metadata: … }` when not an object).
import { z } from "zod";
import { type WireEventInput, wireEvent } from "../../contract/event.ts";
import {
  type LangfuseItem,
  type LangfuseObservation,
  langfuseLegacyObservation,
  langfuseObservation,
  langfuseSdkLog,
  langfuseTrace,
} from "../../contract/langfuse.ts";
import { LIMITS } from "../../contract/limits.ts";
import type { EventPart } from "../../contract/queue.ts";
import type { WireScore } from "../../contract/scores.ts";
import { boundedText, storedId } from "../lib/bounded-id.ts";
import { clipDepth } from "./depth.ts";
import { fromLangfuseScore } from "./score.ts";
import { usageAndCost } from "./usage.ts";

/** What one item becomes: parts of events, a whole event, nothing to keep, or a refusal with its reason. */
export type Mapped =
  | { part: EventPart }
  | { event: WireEventInput }
  | { score: WireScore }
  | { skip: true }
  | { error: string };

/** Langfuse's observation types and WatchLLM's for each. */
const TYPES = {
  SPAN: "span",
  GENERATION: "model_response",
  EVENT: "log",
  AGENT: "span",
  TOOL: "tool_call",
  CHAIN: "span",
  RETRIEVER: "span",
  EVALUATOR: "span",
  EMBEDDING: "model_response",
  GUARDRAIL: "span",
} as const;
type LangfuseType = keyof typeof TYPES;

/** `<kind>-create` and `<kind>-update` items: Langfuse's type and whether the item updates (folds after creates). */
const ITEMS: Record<string, { type: LangfuseType; rank: 0 | 1 }> = {
  "span-create": { type: "SPAN", rank: 0 },
  "span-update": { type: "SPAN", rank: 1 },
  "generation-create": { type: "GENERATION", rank: 0 },
  "generation-update": { type: "GENERATION", rank: 1 },
  "event-create": { type: "EVENT", rank: 0 },
  "agent-create": { type: "AGENT", rank: 0 },
  "tool-create": { type: "TOOL", rank: 0 },
  "chain-create": { type: "CHAIN", rank: 0 },
  "retriever-create": { type: "RETRIEVER", rank: 0 },
  "evaluator-create": { type: "EVALUATOR", rank: 0 },
  "embedding-create": { type: "EMBEDDING", rank: 0 },
  "guardrail-create": { type: "GUARDRAIL", rank: 0 },
};

/** A part's fields: a partial wire event plus what only folding can settle (see src/ingest/fold.ts). */
export const partFields = wireEvent.partial().extend({
  end: wireEvent.shape.timestamp.optional(),
  first_token_at: wireEvent.shape.timestamp.optional(),
  fallback: z.object({ type: wireEvent.shape.type, timestamp: wireEvent.shape.timestamp }).partial().optional(),
});

const defined = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
const nonEmpty = (o: Record<string, unknown>) => (Object.keys(o).length ? o : undefined);
const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
/** A JSON payload nested no deeper than an event body allows (deeper levels replaced by a note). */
const payload = (v: unknown) => (v === undefined || v === null ? undefined : clipDepth(v, LIMITS.maxJsonDepth - 3));
/** Langfuse keeps non-object metadata as `{ metadata: value }`. */
const metadataOf = (v: unknown) =>
  v === undefined || v === null
    ? undefined
    : (payload(v !== null && typeof v === "object" && !Array.isArray(v) ? v : { metadata: v }) as Record<
        string,
        unknown
      >);

/** Langfuse's environment names: lower case, no `langfuse` prefix, ≤ 40 of `a-z0-9-_`, else `default`. */
export function environmentOf(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") return "default";
  const name = v
    .toLowerCase()
    .replace(/^(?:langfuse[-_]?)+/, "")
    .slice(0, 40);
  return /^[a-z0-9-_]+$/.test(name) ? name : "default";
}

/** A name within WatchLLM's limit; the whole name is kept in `langfuse.name` when it was clipped. */
const nameOf = (name: string | null | undefined) => {
  if (!name) return { name: undefined, full: undefined };
  const chars = Array.from(name);
  return chars.length <= LIMITS.maxNameChars
    ? { name, full: undefined }
    : { name: `${chars.slice(0, LIMITS.maxNameChars - 1).join("")}…`, full: name };
};

/** Up to the contract's number of tags, each within its length (the whole list kept in `langfuse.tags` if cut). */
const tagsOf = (tags: string[] | null | undefined) => {
  if (!tags) return { tags: undefined, full: undefined };
  const unique = [...new Set(tags)];
  const kept = unique.filter((t) => t.length <= LIMITS.maxTagChars).slice(0, LIMITS.maxTags);
  return { tags: kept, full: kept.length === unique.length ? undefined : unique };
};

function part(
  item: LangfuseItem,
  ids: { event: string; trace: string; part: string },
  rank: number,
  fields: Record<string, unknown>,
): Mapped {
  const kept = defined(fields);
  const checked = partFields.safeParse(kept);
  if (!checked.success) return { error: issues(checked.error) };
  return {
    part: {
      event_id: ids.event,
      trace_id: ids.trace,
      part_id: ids.part,
      rank,
      at: Date.parse(item.timestamp),
      fields: kept,
    },
  };
}

async function traceItem(item: LangfuseItem): Promise<Mapped> {
  const parsed = langfuseTrace.safeParse(item.body);
  if (!parsed.success) return { error: issues(parsed.error) };
  const t = parsed.data;
  // Without a body id, the item's id names the trace (so the item is not lost).
  const langfuseTraceId = t.id ?? item.id;
  const id = await storedId(langfuseTraceId);
  const name = nameOf(t.name);
  const tags = tagsOf(t.tags);
  return part(item, { event: id, trace: id, part: await storedId(item.id) }, 0, {
    type: "span",
    name: name.name,
    timestamp: t.timestamp ?? item.timestamp,
    parent_event_id: null,
    body: nonEmpty(
      defined({
        input: payload(t.input),
        output: payload(t.output),
        metadata: metadataOf(t.metadata),
        langfuse: nonEmpty(
          defined({
            id: id === langfuseTraceId ? undefined : langfuseTraceId,
            name: name.full,
            version: t.version,
            public: t.public,
            external_id: t.externalId,
            tags: tags.full,
          }),
        ),
      }),
    ),
    context: nonEmpty(
      defined({
        user_id: t.userId ? await boundedText(t.userId, 256) : undefined,
        session_id: t.sessionId ? await boundedText(t.sessionId, 256) : undefined,
        tags: tags.tags,
        environment: environmentOf(t.environment),
        release: t.release ? await boundedText(t.release, LIMITS.maxReleaseChars) : undefined,
      }),
    ),
  });
}

async function observationItem(item: LangfuseItem, o: LangfuseObservation, kind: LangfuseType, rank: number) {
  const eventId = await storedId(o.id);
  const traceId = o.traceId ? await storedId(o.traceId) : undefined;
  const parentId = o.parentObservationId ? await storedId(o.parentObservationId) : undefined;
  const type = TYPES[kind];
  const failed = o.level === "ERROR";
  const name = nameOf(o.name);
  const { usageDetails, costDetails, usage, cost } = usageAndCost(o);
  const start = o.startTime ?? undefined;
  return part(item, { event: eventId, trace: traceId ?? eventId, part: await storedId(item.id) }, rank, {
    // An update says nothing of the type, the start or the place unless no create ever comes.
    ...(rank === 0
      ? { type, timestamp: start ?? item.timestamp, parent_event_id: parentId ?? traceId ?? null }
      : {
          timestamp: start,
          parent_event_id: parentId,
          fallback: { type, timestamp: item.timestamp },
        }),
    trace_id: traceId,
    name: name.name,
    end: o.endTime,
    first_token_at: o.completionStartTime,
    ...(o.level && { status: failed ? "error" : "ok" }),
    model: o.model ? Array.from(o.model).slice(0, 128).join("") : undefined,
    usage,
    cost_usd: cost,
    body: nonEmpty(
      defined({
        input: payload(o.input),
        output: payload(o.output),
        ...(type === "log" && name.name && { message: name.name }),
        ...(failed && o.statusMessage && { error: o.statusMessage }),
        metadata: metadataOf(o.metadata),
        langfuse: nonEmpty(
          defined({
            type: kind,
            id: eventId === o.id ? undefined : o.id,
            trace_id: traceId === o.traceId ? undefined : o.traceId,
            parent_observation_id: parentId === o.parentObservationId ? undefined : o.parentObservationId,
            name: name.full,
            model: o.model && o.model.length > 128 ? o.model : undefined,
            model_parameters: o.modelParameters,
            level: o.level,
            status_message: o.statusMessage,
            version: o.version,
            usage_details: usageDetails,
            cost_details: costDetails,
            prompt_name: o.promptName,
            prompt_version: o.promptVersion,
            completion_start_time: o.completionStartTime,
          }),
        ),
      }),
    ),
    context: nonEmpty(defined({ environment: environmentOf(o.environment) })),
  });
}

/** A score names its trace and event by the ids they were stored under (long Langfuse ids are bounded). */
async function boundedScore(mapped: ReturnType<typeof fromLangfuseScore>): Promise<Mapped> {
  if ("error" in mapped) return mapped;
  const { trace_id, event_id } = mapped.score;
  return {
    score: {
      ...mapped.score,
      trace_id: await storedId(trace_id),
      event_id: event_id ? await storedId(event_id) : null,
    },
  };
}

export async function mapItem(item: LangfuseItem): Promise<Mapped> {
  if (item.type === "trace-create") return traceItem(item);
  const kind = ITEMS[item.type];
  if (kind) {
    const parsed = langfuseObservation.safeParse(item.body);
    if (!parsed.success) return { error: issues(parsed.error) };
    return observationItem(item, parsed.data, kind.type, kind.rank);
  }
  if (item.type === "observation-create" || item.type === "observation-update") {
    const parsed = langfuseLegacyObservation.safeParse(item.body);
    if (!parsed.success) return { error: issues(parsed.error) };
    const o = { ...parsed.data, id: parsed.data.id ?? item.id };
    return observationItem(item, o, o.type, item.type === "observation-create" ? 0 : 1);
  }
  if (item.type === "score-create") return boundedScore(fromLangfuseScore(item.body, item.timestamp));
  if (item.type === "sdk-log") {
    const parsed = langfuseSdkLog.safeParse(item.body);
    return parsed.success ? { skip: true } : { error: issues(parsed.error) };
  }
  return { error: `type ${JSON.stringify(item.type)} is not supported` };
}
