// Langfuse ingestion items → WatchLLM. Traces and observations arrive as create and update items in any order and
// batch, so each becomes an event *part* (the consumer stores the fold of all of an event's parts); a score is a whole
// `log` event under what it scores; SDK logs are acknowledged and dropped. A Langfuse trace is the root `span` of its
// trace (event id = trace id); observations hang under their parent observation, else under the trace.
import { z } from "zod";
import { type WireEventInput, wireEvent } from "../../contract/event.ts";
import { type LangfuseItem, langfuseObservation, langfuseTrace } from "../../contract/langfuse.ts";
import { LIMITS } from "../../contract/limits.ts";
import { tokenCount } from "../../contract/providers.ts";
import type { EventPart } from "../../contract/queue.ts";
import { truncateJson } from "../lib/json-size.ts";

/** What one item becomes: a part of an event, a whole event, nothing to keep, or a refusal with its reason. */
export type Mapped = { part: EventPart } | { event: WireEventInput } | { skip: true } | { error: string };

const KINDS = {
  "span-create": { type: "span", rank: 0 },
  "span-update": { type: "span", rank: 1 },
  "generation-create": { type: "model_response", rank: 0 },
  "generation-update": { type: "model_response", rank: 1 },
  "event-create": { type: "log", rank: 0 },
} as const;

/** A part's fields: a partial wire event (each present field as the wire format wants it) plus its end time. */
const partFields = wireEvent.partial().extend({ end: wireEvent.shape.timestamp.optional() });

const ms = (t: string | number | null | undefined) =>
  t === null || t === undefined ? undefined : typeof t === "number" ? t : Date.parse(t);
const defined = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
const nonEmpty = (o: Record<string, unknown>) => (Object.keys(o).length ? o : undefined);
const asObject = (v: unknown) =>
  v !== null && typeof v === "object" && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : v === undefined
      ? undefined
      : { value: v };
const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");

/** Langfuse's usage (`usageDetails`, or the older `usage`) as WatchLLM's: cache reads counted inside input tokens. */
function usageOf(o: z.infer<typeof langfuseObservation>) {
  const d = o.usageDetails;
  if (d) {
    const cacheRead = (d.cache_read_input_tokens ?? 0) + (d.input_cached_tokens ?? 0);
    const cacheWrite = d.cache_creation_input_tokens ?? 0;
    // Anthropic's names count cache tokens outside `input`; OpenAI's `input_cached_tokens` inside it.
    const input = (d.input ?? 0) + (d.cache_read_input_tokens ?? 0) + cacheWrite;
    return {
      input_tokens: tokenCount(input),
      output_tokens: tokenCount(d.output),
      cached_input_tokens: tokenCount(cacheRead),
      cache_write_tokens: tokenCount(cacheWrite),
    };
  }
  const u = o.usage;
  if (!u) return undefined;
  const input = u.input ?? u.promptTokens;
  const output = u.output ?? u.completionTokens;
  return input === undefined && output === undefined
    ? undefined
    : { input_tokens: tokenCount(input), output_tokens: tokenCount(output) };
}

function costOf(o: z.infer<typeof langfuseObservation>) {
  const c = o.costDetails;
  if (c)
    return c.total ?? (c.input !== undefined || c.output !== undefined ? (c.input ?? 0) + (c.output ?? 0) : undefined);
  const u = o.usage;
  return (
    u?.totalCost ??
    (u?.inputCost !== undefined || u?.outputCost !== undefined ? (u?.inputCost ?? 0) + (u?.outputCost ?? 0) : undefined)
  );
}

/** Bounds a part's body like an event's (its fold is truncated again when stored). */
function bounded(body: Record<string, unknown> | undefined) {
  if (!body) return undefined;
  const { json, truncated } = truncateJson(JSON.stringify(body), LIMITS.maxPartBodyBytes);
  return truncated ? (JSON.parse(json) as Record<string, unknown>) : body;
}

function part(
  item: LangfuseItem,
  eventId: string,
  traceId: string,
  rank: number,
  fields: Record<string, unknown>,
): Mapped {
  const checked = partFields.safeParse(defined(fields));
  if (!checked.success) return { error: issues(checked.error) };
  const at = ms(item.timestamp ?? undefined) ?? 0;
  return {
    part: {
      event_id: eventId,
      trace_id: traceId,
      part_id: item.id,
      rank,
      at: Number.isFinite(at) ? at : 0,
      fields: defined(fields),
    },
  };
}

function traceItem(item: LangfuseItem): Mapped {
  const parsed = langfuseTrace.safeParse(item.body);
  if (!parsed.success) return { error: issues(parsed.error) };
  const t = parsed.data;
  const extra = nonEmpty(defined({ release: t.release, version: t.version, environment: t.environment }));
  return part(item, t.id, t.id, 0, {
    type: "span",
    name: t.name,
    timestamp: t.timestamp,
    parent_event_id: null,
    body: bounded(nonEmpty(defined({ input: t.input, output: t.output }))),
    context: nonEmpty(
      defined({
        user_id: t.userId,
        session_id: t.sessionId,
        tags: t.tags,
        metadata: t.metadata === undefined && !extra ? undefined : { ...asObject(t.metadata), ...extra },
      }),
    ),
  });
}

function observationItem(item: LangfuseItem, kind: (typeof KINDS)[keyof typeof KINDS]): Mapped {
  const parsed = langfuseObservation.safeParse(item.body);
  if (!parsed.success) return { error: issues(parsed.error) };
  const o = parsed.data;
  if (!o.traceId) return { error: "traceId: required (WatchLLM places every observation in a trace)" };
  const failed = o.level === "ERROR";
  return part(item, o.id, o.traceId, kind.rank, {
    type: kind.type,
    name: o.name,
    timestamp: o.startTime,
    end: o.endTime,
    ...(kind.rank === 0 && { parent_event_id: o.parentObservationId ?? o.traceId }),
    ...(o.level && { status: failed ? "error" : "ok" }),
    model: o.model,
    usage: usageOf(o),
    cost_usd: costOf(o),
    body: bounded(
      nonEmpty(
        defined({
          input: o.input,
          output: o.output,
          ...(kind.type === "log" && o.name && { message: o.name }),
          ...(failed && { error: o.statusMessage }),
          metadata: nonEmpty(
            defined({
              ...asObject(o.metadata),
              model_parameters: o.modelParameters,
              level: o.level && o.level !== "DEFAULT" ? o.level : undefined,
              status_message: failed ? undefined : o.statusMessage,
              completion_start_time: o.completionStartTime,
              version: o.version,
            }),
          ),
        }),
      ),
    ),
  });
}

const score = z.looseObject({
  id: z.string().min(1),
  traceId: z.string().min(1),
  observationId: z.string().nullish(),
  name: z.string().min(1),
  value: z.unknown(),
  comment: z.string().nullish(),
  dataType: z.string().nullish(),
});

function scoreItem(item: LangfuseItem): Mapped {
  const parsed = score.safeParse(item.body);
  if (!parsed.success) return { error: issues(parsed.error) };
  const s = parsed.data;
  return {
    event: {
      event_id: `score:${s.id}`,
      trace_id: s.traceId,
      parent_event_id: s.observationId ?? s.traceId,
      type: "log",
      name: `score: ${s.name}`,
      timestamp: item.timestamp ?? Date.now(),
      body: {
        message: `${s.name} = ${JSON.stringify(s.value)}`,
        data: defined({ value: s.value, comment: s.comment, data_type: s.dataType }),
      },
    },
  };
}

export function mapItem(item: LangfuseItem): Mapped {
  if (item.type === "trace-create") return traceItem(item);
  if (item.type in KINDS) return observationItem(item, KINDS[item.type as keyof typeof KINDS]);
  if (item.type === "score-create") return scoreItem(item);
  if (item.type === "sdk-log") return { skip: true };
  return { error: `type ${JSON.stringify(item.type)} is not supported` };
}
