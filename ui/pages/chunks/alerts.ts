// The alerts page, list and detail, one chunk (account.ts says why a module per chunk).
export { AlertDetail, AlertList } from "../Alerts.tsx";
