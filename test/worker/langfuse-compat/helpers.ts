// Langfuse's ingestion tests (langfuse/langfuse), ported to black-box HTTP: each case sends what Langfuse's test sends
// to POST /api/public/ingestion and reads back through WatchLLM's read API what Langfuse's test reads from ClickHouse.
// A Langfuse trace is read as its root event (event id = trace id), an observation as its event; Langfuse's fields
// that WatchLLM has no column for are read where the Langfuse mapping keeps them (docs/langfuse.md).
import { SELF } from "cloudflare:test";
import { createProject, read, waitFor } from "../fixtures.ts";

// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely, as Langfuse's tests read their records
export type Loose = Record<string, any>;

/** How long a case waits for its data (the local queue delivers within a second or two). */
const WAIT_MS = 8_000;

export const uuid = () => crypto.randomUUID();
export const now = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();

export async function langfuseProject() {
  const p = await createProject("langfuse-compat");
  const post = async (body: unknown, init: { method?: string; raw?: string } = {}) => {
    const res = await SELF.fetch("https://watchllm.test/api/public/ingestion", {
      method: init.method ?? "POST",
      headers: { Authorization: `Basic ${btoa(`pk-lf-compat:${p.ingestKey}`)}`, "Content-Type": "application/json" },
      body: init.method === "GET" ? undefined : (init.raw ?? JSON.stringify(body)),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Loose };
  };
  const path = (traceId: string, eventId?: string) =>
    `/api/v1/traces/${encodeURIComponent(traceId)}${eventId === undefined ? "" : `/events/${encodeURIComponent(eventId)}`}`;
  /** An event as stored (the full-event read), once it exists and `ready` holds. */
  const event = async (traceId: string, eventId: string, ready: (e: Loose) => boolean = () => true) =>
    (
      await waitFor(
        () => read(path(traceId, eventId), p.secretKey),
        (r) => r.status === 200 && ready(r.body.event),
        { timeoutMs: WAIT_MS },
      )
    ).body.event as Loose;
  /** A trace with its events, once it exists and `ready` holds. */
  const trace = async (traceId: string, ready: (t: Loose) => boolean = () => true) =>
    (
      await waitFor(
        () => read(path(traceId), p.secretKey),
        (r) => r.status === 200 && ready(r.body),
        { timeoutMs: WAIT_MS },
      )
    ).body as Loose;
  /** The status of reading an event now (no waiting). */
  const status = async (traceId: string, eventId: string) => (await read(path(traceId, eventId), p.secretKey)).status;
  return { ...p, post, event, trace, status, read: (url: string) => read(url, p.secretKey) };
}

/** Langfuse's view of a trace, from its root event. */
export const asTrace = (e: Loose) => ({
  id: e.event_id as string,
  name: e.name as string,
  timestamp: e.timestamp as number,
  userId: (e.user_id ?? null) as string | null,
  sessionId: (e.session_id ?? null) as string | null,
  input: e.body?.input ?? null,
  output: e.body?.output ?? null,
  metadata: e.body?.metadata ?? {},
  tags: (e.context?.tags ?? []) as string[],
  environment: (e.context?.environment ?? "default") as string,
  release: (e.context?.release ?? null) as string | null,
  version: (e.body?.langfuse?.version ?? null) as string | null,
});

/** Langfuse's view of an observation, from its event. */
export const asObservation = (e: Loose) => ({
  id: e.event_id as string,
  traceId: e.trace_id as string,
  parentObservationId: e.parent_event_id as string | null,
  type: (e.body?.langfuse?.type ?? null) as string | null,
  name: e.name as string,
  startTime: e.timestamp as number,
  endTime: e.duration_ms === null ? null : (e.timestamp as number) + (e.duration_ms as number),
  input: e.body?.input ?? null,
  output: e.body?.output ?? null,
  metadata: e.body?.metadata ?? {},
  environment: (e.context?.environment ?? "default") as string,
  model: e.model as string | null,
  modelParameters: e.body?.langfuse?.model_parameters ?? null,
  version: (e.body?.langfuse?.version ?? null) as string | null,
  level: (e.body?.langfuse?.level ?? "DEFAULT") as string,
  statusMessage: (e.body?.langfuse?.status_message ?? null) as string | null,
  usageDetails: (e.body?.langfuse?.usage_details ?? {}) as Record<string, number>,
  costDetails: (e.body?.langfuse?.cost_details ?? {}) as Record<string, number>,
});
