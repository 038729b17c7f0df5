// Traces: onboarding until the project's first event arrives, then the trace list.
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { api } from "../api.ts";
import { Onboarding } from "./Onboarding.tsx";
import { TraceList } from "./TraceList.tsx";

type ProjectInfo = { has_events: boolean; last_trace_at: number | null };

export function Traces({ project }: { project: string }) {
  const info = useSignal<ProjectInfo | null>(null);
  const load = () => api<ProjectInfo>(`/api/projects/${project}`).then((r) => (info.value = r));
  useEffect(() => void load(), [project]);
  if (!info.value)
    return (
      <p class="muted" aria-busy="true">
        Loading…
      </p>
    );
  if (!info.value.has_events) return <Onboarding project={project} onFirstEvent={() => void load()} />;
  return (
    <section>
      <h1>Traces</h1>
      <TraceList project={project} />
    </section>
  );
}
