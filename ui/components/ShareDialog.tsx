// The Share dialog of a trace page (ShareTrace.tsx): creates a public, read-only link to the trace, optionally without
// inputs and outputs and with an expiry, and shows it once to copy. Its own chunk: it loads on the first click of Share.
import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { SHARE_EXPIRY_DAYS } from "../../contract/limits.ts";
import { api } from "../lib/api.ts";
import { useAction } from "../lib/use-api.ts";
import { Copy } from "./Copy.tsx";
import { ErrorNote } from "./ErrorNote.tsx";
import { Link } from "./Link.tsx";

const DEFAULT_EXPIRY = "30";

type Props = { project: string; traceId: string; onClose: () => void };

export function ShareDialog({ project, traceId, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const link = useSignal<string | null>(null);
  const action = useAction();
  useEffect(() => dialog.current?.showModal(), []);
  const create = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const expiry = String(form.get("expiry") ?? "");
    void action.run(async (init) => {
      const { share } = await api(`/api/projects/${encodeURIComponent(project)}/shares`, {
        method: "POST",
        ...init,
        json: {
          trace_id: traceId,
          hide_io: form.get("hide_io") === "on",
          expires_in_days: expiry ? Number(expiry) : null,
        },
      });
      link.value = location.origin + share.path;
    });
  };
  return (
    <dialog
      ref={dialog}
      class="share-dialog"
      onClose={onClose}
      aria-labelledby="share-title"
      data-testid="share-dialog"
    >
      <header>
        <h2 id="share-title">Share this trace</h2>
        <button type="button" class="link close" aria-label="Close" onClick={() => dialog.current?.close()}>
          ✕
        </button>
      </header>
      <p class="muted">
        Anyone with the link sees this trace (its tree, timings, tokens and cost) without signing in, and nothing else
        of the project.
      </p>
      {link.value ? (
        <div class="notice" data-testid="share-link">
          <p>Copy the link now: it won't be shown again. Revoke it any time in Settings.</p>
          <Copy value={link.value} label="Share link" />
        </div>
      ) : (
        <form class="share-form" onSubmit={create}>
          <label class="check">
            <input type="checkbox" name="hide_io" />
            Hide inputs and outputs (bodies, previews, score comments, user ids and metadata)
          </label>
          <label>
            Expires
            <select name="expiry" defaultValue={DEFAULT_EXPIRY}>
              {SHARE_EXPIRY_DAYS.map((d) => (
                <option key={d} value={String(d)}>
                  in {d} {d === 1 ? "day" : "days"}
                </option>
              ))}
              <option value="">never</option>
            </select>
          </label>
          <ErrorNote error={action.error} />
          <button type="submit" class="primary" disabled={action.busy.value}>
            Create link
          </button>
        </form>
      )}
      <p class="muted small">
        <Link href={`/p/${project}/settings/shares`}>All share links of this project</Link>
      </p>
    </dialog>
  );
}
