// The settings page (general tab and share links) with "no projects yet", one chunk (vite.config.ts; public.ts says
// why a module per chunk).
export { NoProjects } from "../NoProjects.tsx";
export { Settings } from "../Settings.tsx";
