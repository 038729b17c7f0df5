// One trace in its project: the title row (export, share, delete), the trace's view (ui/components/TraceView.tsx), and
// scores members can add.
import { useMemo } from "preact/hooks";
import { DeleteData } from "../components/DeleteData.tsx";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { Link } from "../components/Link.tsx";
import { Scores } from "../components/Scores.tsx";
import { ShareTrace } from "../components/ShareTrace.tsx";
import { TraceView } from "../components/TraceView.tsx";
import { traceHeadPath, traceOf, tracePath } from "../lib/trace-columns.ts";
import { useApi } from "../lib/use-api.ts";
import { me } from "../state/session.ts";

export function Trace({ project, traceId }: { project: string; traceId: string }) {
  // The compact columns answer (a 10,000-span tree in well under half the bytes), turned back into rows once. First
  // the tree's first screen with the trace's summary (the same whatever the trace's size), then, once it is shown, the
  // rest of the tree when there is more; the score configs (for adding a score) wait for the first screen too.
  const head = useApi(traceHeadPath(traceId), { project });
  const first = head.data.value;
  const more = first !== null && first.columns.event_id.length < first.trace.span_count;
  const whole = useApi(more ? tracePath(traceId) : null, { project });
  const answer = whole.data.value ?? first;
  const data = useMemo(() => answer && traceOf(answer), [answer]);
  const configs = useApi(first ? `/api/projects/${encodeURIComponent(project)}/score-configs` : null);
  const error = head.error.value ? head.error : whole.error;
  // Shown before the session answers (a deep link, ui/App.tsx), a failure waits for it: signed out goes to sign-in,
  // another tenant's trace to the user's projects, and only then is a failure this page's to show.
  if (error.value && me.value !== undefined) return <ErrorNote error={error} />;
  if (!data || error.value)
    return (
      <p class="muted" aria-busy="true">
        Loading trace…
      </p>
    );
  const { trace, scores } = data;
  const exportHref = (format: string) =>
    `/api/v1/traces/${encodeURIComponent(traceId)}/export?format=${format}&project_id=${encodeURIComponent(project)}`;

  const header = (
    <header class="page-head">
      <h1>
        <Link href={`/p/${project}/traces`} class="crumb">
          Traces
        </Link>
        <span class="crumb-sep" aria-hidden="true">
          /
        </span>
        <span class={`dot ${trace.status}`} role="img" aria-label={trace.status} />
        <span title={trace.trace_id}>{trace.name}</span>
      </h1>
      <div class="actions">
        <ShareTrace project={project} traceId={traceId} />
        <a class="button" href={exportHref("json")} download>
          Export JSON
        </a>
        <a class="button" href={exportHref("har")} download>
          Export HAR
        </a>
        <DeleteData
          project={project}
          path={`/api/v1/traces/${encodeURIComponent(traceId)}`}
          label="trace"
          what={`the trace "${trace.name}" with all ${trace.span_count} events and their bodies`}
          back={`/p/${project}/traces`}
        />
      </div>
    </header>
  );
  return (
    <TraceView
      data={data}
      complete={!more || whole.data.value !== null}
      project={project}
      eventPath={(id) => `/api/v1/traces/${encodeURIComponent(traceId)}/events/${encodeURIComponent(id)}`}
      header={header}
      scoresOf={(eventId) => (
        <Scores
          project={project}
          traceId={traceId}
          eventId={eventId}
          scores={scores.filter((s) => s.event_id === eventId)}
          configs={configs.data.value?.configs ?? []}
          onChange={more ? whole.reload : head.reload}
        />
      )}
    />
  );
}
