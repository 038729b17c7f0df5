// The settings tabs data and score configs, one chunk (account.ts says why a module per chunk).
export { DataSettings } from "../DataSettings.tsx";
export { ScoreConfigs } from "../ScoreConfigs.tsx";
