// The trace page's two dialogs (share, annotate), one chunk loaded on first use (account.ts says why a
// module per chunk).
export { ScoreForm } from "../../components/ScoreForm.tsx";
export { ShareDialog } from "../../components/ShareDialog.tsx";
