// The trace list with sessions and users (both show it) and the comparison of two traces picked in it, one chunk
// (account.ts says why a module per chunk).
export { Compare } from "../Compare.tsx";
export { GroupDetail, GroupList } from "../Groups.tsx";
export { Traces } from "../Traces.tsx";
