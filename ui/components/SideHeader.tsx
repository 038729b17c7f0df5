// Compare's column header for one side: its letter, the trace's name (a link) and when it started.
import { time } from "../lib/format.ts";
import type { TraceSummary } from "../lib/types.ts";
import { Link } from "./Link.tsx";

export function SideHeader({ letter, trace, project }: { letter: "A" | "B"; trace: TraceSummary; project: string }) {
  return (
    <span class="side-head">
      <strong class="side-letter">{letter}</strong>{" "}
      <Link href={`/p/${project}/traces/${encodeURIComponent(trace.trace_id)}`}>{trace.name}</Link>
      <span class="names">{time(trace.start_time)}</span>
    </span>
  );
}
