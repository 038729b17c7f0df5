// The settings page with every tab, and "no projects yet" (both create projects), one chunk (account.ts says why a
// module per chunk).
export { NoProjects } from "../NoProjects.tsx";
export { Settings } from "../Settings.tsx";
