// The trace page's Share button (members and above): opens the dialog (ShareDialog.tsx, loaded on the first click) that
// creates a public, read-only link to this trace. Links are managed in Settings.
import { useSignal } from "@preact/signals";
import { lazy } from "../lib/lazy.tsx";
import { me, projectById } from "../state/session.ts";

const ShareDialog = lazy(() => import("../pages/chunks/on-use.ts").then((m) => m.ShareDialog));

export function ShareTrace({ project, traceId }: { project: string; traceId: string }) {
  const open = useSignal(false);
  const role = projectById(project)?.org.role;
  // Before the session answers (a deep link renders at once) the button keeps its place, unseen (`held`).
  if (role === "viewer" || (!role && me.value !== undefined)) return null;
  return (
    <>
      <button type="button" class={role ? undefined : "held"} disabled={!role} onClick={() => (open.value = true)}>
        Share
      </button>
      {open.value && <ShareDialog project={project} traceId={traceId} onClose={() => (open.value = false)} />}
    </>
  );
}
