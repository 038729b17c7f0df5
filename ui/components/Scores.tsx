// Scores of a trace or one of its events: each with its value, source, author or end user, comment and time; and, for
// members, editing or deleting their own annotations (source `annotation`; admins any) and a form to add one
// (ScoreForm.tsx).
import { useSignal } from "@preact/signals";
import type { ScoreConfig, ScoreView } from "../../contract/scores.ts";
import { api } from "../lib/api.ts";
import { shortTime, time } from "../lib/format.ts";
import { lazy } from "../lib/lazy.tsx";
import { useAction } from "../lib/use-api.ts";
import { me, projectById } from "../state/session.ts";
import { ErrorNote } from "./ErrorNote.tsx";

// The annotation form loads when it is first opened.
const ScoreForm = lazy(() => import("../pages/chunks/on-use.ts").then((m) => m.ScoreForm));

const shown = (v: ScoreView["value"]) =>
  typeof v === "number" ? String(Math.round(v * 1000) / 1000) : typeof v === "boolean" ? (v ? "✓ true" : "✗ false") : v;

/** Whether the signed-in member wrote this annotation. */
const mine = (s: ScoreView) => s.author_kind === "member" && s.author_id === me.value?.user.id;

function who(s: ScoreView) {
  if (s.author_kind === "member") return mine(s) ? "you" : "a member";
  if (s.user_id) return `user ${s.user_id}`;
  return s.author_kind === "ingest" ? "ingest key" : "secret key";
}

export function Scores({
  project,
  traceId,
  eventId,
  scores,
  configs,
  onChange,
}: {
  project: string;
  traceId: string;
  /** null: the trace's own scores. */
  eventId: string | null;
  scores: ScoreView[];
  configs: ScoreConfig[];
  onChange: () => void;
}) {
  const role = projectById(project)?.org.role;
  const canAnnotate = role !== undefined && role !== "viewer";
  const admin = role === "owner" || role === "admin";
  const editing = useSignal<ScoreView | null>(null);
  const formOpen = useSignal(false);
  const action = useAction();
  const base = `/api/projects/${encodeURIComponent(project)}/scores` as const;

  const remove = (s: ScoreView) =>
    void action.run(async (init) => {
      await api(`${base}/${encodeURIComponent(s.score_id)}`, { ...init, method: "DELETE" });
      onChange();
    });
  const edit = (s: ScoreView) => {
    editing.value = s;
    formOpen.value = true;
  };

  return (
    <section class="scores" aria-label={eventId ? "Event scores" : "Trace scores"} data-testid="scores">
      <h3>
        Scores <span class="muted">{scores.length || ""}</span>
      </h3>
      {scores.length ? (
        <ul class="score-list">
          {scores.map((s) => (
            <li key={s.score_id} data-score={s.name}>
              <span class="score-name">{s.name}</span>
              <span class={`score-value k-${s.kind}${s.value === false ? " no" : ""}`}>{shown(s.value)}</span>
              <span class="score-meta muted" title={time(s.timestamp)}>
                {s.source} · {who(s)} · {shortTime(s.timestamp)}
              </span>
              {s.comment && <span class="score-comment">{s.comment}</span>}
              {/* A member changes their own annotations; an admin any annotation, and deletes any score. */}
              {canAnnotate && (admin || mine(s)) && (
                <span class="score-actions">
                  {s.author_kind === "member" && (
                    <button type="button" class="link" onClick={() => edit(s)} aria-label={`Edit ${s.name}`}>
                      Edit
                    </button>
                  )}
                  <button type="button" class="link danger" onClick={() => remove(s)} aria-label={`Delete ${s.name}`}>
                    Delete
                  </button>
                </span>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">No scores yet.</p>
      )}
      <ErrorNote error={action.error} />
      {/* Before the session answers (a deep link renders at once) the button keeps its place, unseen, so the tree
      below doesn't move when it appears. */}
      {(canAnnotate || me.value === undefined) && !formOpen.value && (
        <button
          type="button"
          class={canAnnotate ? undefined : "held"}
          disabled={!canAnnotate}
          onClick={() => (formOpen.value = true)}
        >
          Annotate
        </button>
      )}
      {canAnnotate && formOpen.value && (
        <ScoreForm
          key={editing.value?.score_id ?? "new"}
          project={project}
          traceId={traceId}
          eventId={eventId}
          configs={configs}
          editing={editing.value}
          onDone={(saved) => {
            editing.value = null;
            formOpen.value = false;
            if (saved) onChange();
          }}
        />
      )}
    </section>
  );
}
