// Traces: onboarding until the project's first event arrives, then the trace list.
import { ErrorNote } from "../components/ErrorNote.tsx";
import { lazy } from "../lib/lazy.tsx";
import { useApi } from "../lib/use-api.ts";
import { TraceList } from "./TraceList.tsx";

// Shown only until the project's first event: its own chunk.
const Onboarding = lazy(() => import("./Onboarding.tsx").then((m) => m.Onboarding));

export function Traces({ project }: { project: string }) {
  const info = useApi(`/api/projects/${project}`);
  if (info.error.value && !info.data.value) return <ErrorNote error={info.error} />;
  if (!info.data.value) {
    return (
      <p class="muted" aria-busy="true">
        Loading…
      </p>
    );
  }
  if (!info.data.value.has_events) return <Onboarding project={project} onFirstEvent={info.reload} />;
  return (
    <section>
      <h1>Traces</h1>
      <TraceList project={project} />
    </section>
  );
}
