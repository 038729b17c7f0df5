// The trace list with sessions and users (both show it), one chunk (vite.config.ts; public.ts says why a module per
// chunk).
export { GroupDetail, GroupList } from "../Groups.tsx";
export { Traces } from "../Traces.tsx";
