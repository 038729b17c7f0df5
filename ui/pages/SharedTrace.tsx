// The public page of a share link (/share/<token>): the trace's view, read-only, without the app's frame, project
// switcher or anything else of the project. Needs no sign-in; every read goes to /api/share/<token>.
import { useEffect } from "preact/hooks";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { shortTime } from "../lib/format.ts";
import { lazy } from "../lib/lazy.tsx";
import { useApi } from "../lib/use-api.ts";

// The view is the trace page's code (ui/pages/chunks/trace.ts), not in this page's small chunk (so the trace page's
// chunk holds no share page): asked for as the page opens, beside the share's answer. Each import reads its export by
// name: no namespace object in the chunk.
const loadView = () => import("./chunks/trace.ts").then((m) => m.TraceView);
const TraceView = lazy(loadView);
const Scores = lazy(() => import("./chunks/trace.ts").then((m) => m.Scores));

/** Keeps the link's token out of Referer headers and the page out of search engines. */
function usePrivatePage() {
  useEffect(() => {
    const metas = [
      ["referrer", "no-referrer"],
      ["robots", "noindex, nofollow"],
    ].map(([name, content]) => {
      const meta = document.createElement("meta");
      meta.name = name!;
      meta.content = content!;
      return document.head.appendChild(meta);
    });
    return () => {
      for (const meta of metas) meta.remove();
    };
  }, []);
}

export function SharedTrace({ token }: { token: string }) {
  usePrivatePage();
  useEffect(() => void loadView().catch(() => undefined), []);
  const base = `/api/share/${encodeURIComponent(token)}` as const;
  const answer = useApi(base);
  const data = answer.data.value;
  useEffect(() => {
    if (data) document.title = `${data.trace.name} · shared trace · WatchLLM`;
  }, [data]);
  return (
    <div class="shell fill shared">
      <header class="top">
        <a class="brand" href="/" aria-label="WatchLLM">
          ◉ WatchLLM
        </a>
        <span class="badge shared-badge">Shared trace · read-only</span>
      </header>
      <main class="page">
        {answer.error.value ? (
          <div class="shared-missing">
            <h1>This link doesn't work</h1>
            <p class="muted">It may have been revoked or have expired. Ask whoever sent it for a new one.</p>
            <ErrorNote error={answer.error} />
          </div>
        ) : !data ? (
          <p class="muted" aria-busy="true">
            Loading trace…
          </p>
        ) : (
          <TraceView
            data={data}
            eventPath={(id) => `${base}/events/${encodeURIComponent(id)}`}
            header={
              <header class="page-head">
                <h1>
                  <span class={`dot ${data.trace.status}`} role="img" aria-label={data.trace.status} />
                  <span title={data.trace.trace_id}>{data.trace.name}</span>
                </h1>
                <p class="muted shared-about" data-testid="shared-about">
                  {data.share.hide_io ? "Inputs and outputs are hidden in this link. " : ""}
                  {data.share.expires_at ? `Link works until ${shortTime(data.share.expires_at)}.` : ""}
                </p>
              </header>
            }
            scoresOf={(eventId) => {
              const scores = data.scores.filter((s) => s.event_id === eventId);
              const hidden = eventId !== null && data.share.hide_io && (
                <p class="muted">Inputs, outputs and metadata are hidden in this link.</p>
              );
              return scores.length ? (
                <>
                  {hidden}
                  <Scores
                    project=""
                    traceId={data.trace.trace_id}
                    eventId={eventId}
                    scores={scores}
                    configs={[]}
                    onChange={answer.reload}
                  />
                </>
              ) : (
                hidden || null
              );
            }}
          />
        )}
      </main>
    </div>
  );
}
