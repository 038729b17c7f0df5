// The selected event in full: timing, model, usage, cost, input/output as a conversation (or JSON), context and raw
// JSON, with copy buttons. The full event (long bodies, context) is loaded when the inspector opens.
import { useSignal } from "@preact/signals";
import type { ComponentChildren } from "preact";
import { BODY_LIMITS } from "../../contract/limits.ts";
import { conversationOf } from "../lib/conversation.ts";
import { failureOf } from "../lib/failure.ts";
import { bytes, duration, exactCost, grouped, time, tokens } from "../lib/format.ts";
import { streamInfo } from "../lib/stream.ts";
import { type TreeEvent, TYPE_STYLE } from "../lib/types.ts";
import { useApi } from "../lib/use-api.ts";
import { Conversation } from "./Conversation.tsx";
import { CopyButton } from "./Copy.tsx";
import { ErrorNote } from "./ErrorNote.tsx";

/** A part of the event: a conversation when `speaker` says it may be one (with a Raw JSON toggle), else JSON; Copy. */
function Json({
  title,
  value,
  open = true,
  speaker,
}: {
  title: string;
  value: unknown;
  open?: boolean;
  speaker?: "user" | "assistant";
}) {
  const raw = useSignal(false);
  if (value === undefined || value === null) return null;
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  const turns = speaker ? conversationOf(value, speaker) : null;
  return (
    <details open={open} class="part">
      <summary>{title}</summary>
      <div class="part-tools">
        {turns && (
          <button type="button" aria-pressed={raw.value} onClick={() => (raw.value = !raw.value)}>
            Raw JSON
          </button>
        )}
        <CopyButton text={text} label={`Copy ${title.toLowerCase()}`} />
      </div>
      {turns && !raw.value ? <Conversation turns={turns} /> : <pre>{text}</pre>}
    </details>
  );
}

/** Where an event is read in full: in a project, or through a share link. */
export type EventPath = `/api/v1/traces/${string}/events/${string}` | `/api/share/${string}/events/${string}`;

export function Inspector({
  project,
  path,
  event,
  onClose,
  children,
}: {
  /** The project the event is read in (none for a share link, whose path says it all). */
  project?: string;
  /** Where the event is read in full. */
  path: EventPath;
  event: TreeEvent;
  onClose: () => void;
  /** What the page adds about the event (its scores). */
  children?: ComponentChildren;
}) {
  const answer = useApi(path, { project });
  const loaded = answer.data.value?.event;
  const full = loaded?.event_id === event.event_id ? loaded : null;
  const body = full?.body ?? event.body;
  const rest = body ? Object.fromEntries(Object.entries(body).filter(([k]) => k !== "input" && k !== "output")) : null;
  const failure = failureOf(event, body);
  const failed = event.status === "error" || event.type === "error";
  const metadata = (full?.context?.metadata ?? null) as Record<string, unknown> | null;
  const upstreamStatus = typeof metadata?.upstream_status === "number" ? metadata.upstream_status : null;
  const stream = streamInfo(full ?? event, body, full?.context);
  return (
    <aside class="inspector" aria-label="Inspector" data-testid="inspector">
      <header>
        <h2>
          <span class={`glyph t-${event.type}`}>{TYPE_STYLE[event.type].glyph}</span> {event.name}
        </h2>
        <button type="button" class="link close" onClick={onClose} aria-label="Close inspector">
          <span class="wide">✕</span>
          <span class="narrow">← Tree</span>
        </button>
      </header>
      <p class={`status-line${failed ? " failed" : ""}`} data-testid="inspector-status">
        <span class={`status-badge ${failed ? "error" : "ok"}`}>{failed ? "error" : "ok"}</span>
        {failed && upstreamStatus !== null && upstreamStatus >= 400 && (
          <span class="status-badge error">HTTP {upstreamStatus}</span>
        )}
        {stream.streamed && <span class="badge stream">stream</span>}
        {failed && <span class="failure">{failure ?? "No error message was sent with this event."}</span>}
      </p>
      <dl class="facts">
        <dt>Type</dt>
        <dd>
          <code>{event.type}</code>
        </dd>
        <dt>Start</dt>
        <dd>{time(event.timestamp)}</dd>
        <dt>Duration</dt>
        <dd>{duration(event.duration_ms)}</dd>
        {stream.firstTokenMs !== undefined && (
          <>
            <dt>First token</dt>
            <dd>{duration(stream.firstTokenMs)}</dd>
          </>
        )}
        {event.model && (
          <>
            <dt>Model</dt>
            <dd>
              {event.model}
              {event.provider ? ` (${event.provider})` : ""}
            </dd>
          </>
        )}
        {event.input_tokens !== null && (
          <>
            <dt>Tokens</dt>
            <dd>
              {tokens(event.input_tokens)} in ({tokens(event.cached_input_tokens ?? 0)} cached) ·{" "}
              {tokens(event.output_tokens)} out
            </dd>
          </>
        )}
        {event.type === "model_response" && (
          <>
            <dt>Cost</dt>
            <dd>
              {exactCost(event.cost_usd, "no price")}
              {full?.cost_source ? ` · ${full.cost_source.replace("_", " ")}` : ""}
            </dd>
          </>
        )}
        <dt>Event id</dt>
        <dd>
          <code>{event.event_id}</code>
        </dd>
      </dl>
      {children}
      <ErrorNote error={answer.error} />
      {event.body_truncated && !full && !answer.error.value && (
        <p class="muted" aria-busy="true">
          Loading the full body…
        </p>
      )}
      {full?.truncated && (
        <p class="notice">This event was larger than the ingest limit; long strings were cut when it arrived.</p>
      )}
      {full?.body_missing && (
        <p class="notice" role="alert">
          This body ({bytes(full.body_bytes)}) was kept in storage and is no longer there: shown is the preview kept
          with the event, the first {grouped(BODY_LIMITS.previewChars)} characters of each part.
        </p>
      )}
      <Json title="Input" value={body?.input} speaker="user" />
      <Json title="Output" value={body?.output} speaker="assistant" />
      {rest && Object.keys(rest).length > 0 && <Json title={event.type === "error" ? "Error" : "Body"} value={rest} />}
      <Json title="Context" value={full?.context} open={false} />
      <Json title="Raw JSON" value={full ?? event} open={false} />
    </aside>
  );
}
