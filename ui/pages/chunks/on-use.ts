// Code that loads on first use, whichever page asks, one chunk: the trace page's two dialogs (share, annotate), the
// costs page's CSV export and "add a price", re-pricing past calls (there and on the prices page), the quota banner's
// text (an org near its quota), and a new project's keys in the onboarding (they exist only in memory right after
// sign-up or project creation, never on a page's first load). Out of the pages' chunks, each page's first load stays
// under 20 KB (an empty project's Overview with its onboarding too), and one chunk costs less over all pages than
// three small ones. account.ts says why a module per chunk.
export { AddPrice } from "../../components/AddPrice.tsx";
export { NewKeys } from "../../components/NewKeys.tsx";
export { QuotaNotice } from "../../components/QuotaNotice.tsx";
export { ScoreForm } from "../../components/ScoreForm.tsx";
export { ShareDialog } from "../../components/ShareDialog.tsx";
export { costsCsv } from "../../lib/csv.ts";
export { recomputeCosts } from "../../lib/recompute.ts";
