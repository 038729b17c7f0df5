// The trace page's two dialogs (share, annotate), one chunk loaded on first use (vite.config.ts; public.ts says why a
// module per chunk).
export { ScoreForm } from "../../components/ScoreForm.tsx";
export { ShareDialog } from "../../components/ShareDialog.tsx";
