// The trace page's chunk (a deep link preloads it: vite.config.ts, ui/state/trace-fetch.ts). A share link's page
// (SharedTrace.tsx, in the signed-out pages' chunk) loads the same view from here, so neither page's chunk holds the
// other's code. account.ts says why a module per chunk.
export { Scores } from "../../components/Scores.tsx";
export { TraceView } from "../../components/TraceView.tsx";
export { Trace } from "../Trace.tsx";
