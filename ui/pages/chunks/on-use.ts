// Code the Overview and costs pages load on first use, one chunk: the costs CSV export, "add a price", and a new
// project's keys in the onboarding (they exist only in memory right after sign-up or project creation, never on a
// page's first load). Out of those pages' chunks, an empty project's Overview with its onboarding stays under 20 KB
// on its first load. account.ts says why a module per chunk.
export { AddPrice } from "../../components/AddPrice.tsx";
export { NewKeys } from "../../components/NewKeys.tsx";
export { costsCsv } from "../../lib/csv.ts";
