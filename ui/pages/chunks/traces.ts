// The trace list with sessions and users (both show it), one chunk (account.ts says why a module per
// chunk).
export { GroupDetail, GroupList } from "../Groups.tsx";
export { Traces } from "../Traces.tsx";
