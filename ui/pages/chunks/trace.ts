// The trace page with the shared trace (the same view), one chunk (public.ts says why a module per chunk).
export { SharedTrace } from "../SharedTrace.tsx";
export { Trace } from "../Trace.tsx";
