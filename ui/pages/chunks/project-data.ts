// The settings tabs data and score configs, one chunk (vite.config.ts; public.ts says why a module per chunk).
export { DataSettings } from "../DataSettings.tsx";
export { ScoreConfigs } from "../ScoreConfigs.tsx";
