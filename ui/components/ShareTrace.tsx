// The trace page's Share button (members and above): opens the dialog (ShareDialog.tsx, loaded on the first click) that
// creates a public, read-only link to this trace. Links are managed in Settings.
import { useSignal } from "@preact/signals";
import { lazy } from "../lib/lazy.tsx";
import { projectById } from "../state/session.ts";

const ShareDialog = lazy(() => import("../pages/chunks/trace-dialogs.ts").then((m) => m.ShareDialog));

export function ShareTrace({ project, traceId }: { project: string; traceId: string }) {
  const open = useSignal(false);
  const role = projectById(project)?.org.role;
  if (!role || role === "viewer") return null;
  return (
    <>
      <button type="button" onClick={() => (open.value = true)}>
        Share
      </button>
      {open.value && <ShareDialog project={project} traceId={traceId} onClose={() => (open.value = false)} />}
    </>
  );
}
