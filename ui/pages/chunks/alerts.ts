// Alerts and the trace comparison, one chunk (account.ts says why a module per chunk).
export { AlertDetail, AlertList } from "../Alerts.tsx";
export { Compare } from "../Compare.tsx";
