// The selected event in full: timing, model, usage, cost, input/output pretty-printed and collapsible, context and
// raw JSON, with copy buttons. The full event (long bodies, context) is loaded when the inspector opens.
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { api } from "../api.ts";
import { cost, duration, time, tokens } from "../lib/format.ts";
import { type FullEvent, type TreeEvent, TYPE_STYLE } from "../lib/types.ts";
import { CopyButton } from "./Copy.tsx";

function Json({ title, value, open = true }: { title: string; value: unknown; open?: boolean }) {
  if (value === undefined || value === null) return null;
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  return (
    <details open={open}>
      <summary>{title}</summary>
      <CopyButton text={text} label={`Copy ${title.toLowerCase()}`} />
      <pre>{text}</pre>
    </details>
  );
}

export function Inspector({
  project,
  traceId,
  event,
  onClose,
}: {
  project: string;
  traceId: string;
  event: TreeEvent;
  onClose: () => void;
}) {
  const full = useSignal<FullEvent | null>(null);
  useEffect(() => {
    full.value = null;
    api<{ event: FullEvent }>(
      `/api/v1/traces/${encodeURIComponent(traceId)}/events/${encodeURIComponent(event.event_id)}`,
      { project },
    )
      .then((r) => (full.value = r.event))
      .catch(() => undefined);
  }, [event.event_id]);
  const body = full.value?.body ?? event.body;
  const rest = body ? Object.fromEntries(Object.entries(body).filter(([k]) => k !== "input" && k !== "output")) : null;
  return (
    <aside class="inspector" aria-label="Inspector" data-testid="inspector">
      <header>
        <h2>
          <span class={`glyph t-${event.type}`}>{TYPE_STYLE[event.type].glyph}</span> {event.name}
        </h2>
        <button type="button" class="link" onClick={onClose} aria-label="Close inspector">
          ✕
        </button>
      </header>
      <dl class="facts">
        <dt>Type</dt>
        <dd>{TYPE_STYLE[event.type].label}</dd>
        <dt>Status</dt>
        <dd class={event.status === "error" ? "error" : ""}>{event.status}</dd>
        <dt>Start</dt>
        <dd>{time(event.timestamp)}</dd>
        <dt>Duration</dt>
        <dd>{duration(event.duration_ms)}</dd>
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
              {cost(event.cost_usd)}
              {full.value?.cost_source ? ` · ${full.value.cost_source.replace("_", " ")}` : ""}
            </dd>
          </>
        )}
        <dt>Event id</dt>
        <dd>
          <code>{event.event_id}</code>
        </dd>
      </dl>
      {event.body_truncated && !full.value && (
        <p class="muted" aria-busy="true">
          Loading the full body…
        </p>
      )}
      {full.value?.truncated && (
        <p class="notice">This event was larger than the ingest limit; long strings were cut when it arrived.</p>
      )}
      <Json title="Input" value={body?.input} />
      <Json title="Output" value={body?.output} />
      {rest && Object.keys(rest).length > 0 && <Json title={event.type === "error" ? "Error" : "Body"} value={rest} />}
      <Json title="Context" value={full.value?.context} open={false} />
      <Json title="Raw JSON" value={full.value ?? event} open={false} />
    </aside>
  );
}
