// Deleting a trace or an end user's data from its page (admins and owners): asks first, then goes back to the list;
// what is left of a large deletion finishes in the background.
import type { ApiUrl } from "../../contract/routes.ts";
import { api } from "../lib/api.ts";
import { useAction } from "../lib/use-api.ts";
import { navigate } from "../state/router.ts";
import { canManage, me, projectById } from "../state/session.ts";
import { ErrorNote } from "./ErrorNote.tsx";

type Props = {
  project: string;
  /** The API path to DELETE. */
  path: ApiUrl<"DELETE">;
  /** Shown on the button and in the question, e.g. "trace". */
  label: string;
  /** What goes, in the question. */
  what: string;
  /** Where to go once it is done or under way. */
  back: string;
};

export function DeleteData({ project, path, label, what, back }: Props) {
  const action = useAction();
  const role = projectById(project)?.org.role;
  // Before the session answers (a deep link renders at once) the button keeps its place, unseen (`held`).
  if (role ? !canManage(role) : me.value !== undefined) return null;
  const remove = () =>
    action.run(async (init) => {
      if (!confirm(`Delete ${what}? This can't be undone.`)) return;
      await api(path, { ...init, method: "DELETE", project });
      navigate(back);
    });
  return (
    <>
      <button
        type="button"
        class={role ? "danger" : "danger held"}
        onClick={() => void remove()}
        disabled={!role || action.busy.value}
      >
        Delete {label}
      </button>
      <ErrorNote error={action.error} />
    </>
  );
}
