// The Overview and costs, one chunk: both draw their charts with one component (Chart.tsx), and gzip
// shares the rest of their code (account.ts says why a module per chunk).
export { Costs } from "../Costs.tsx";
export { Overview } from "../Overview.tsx";
