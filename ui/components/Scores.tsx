// Scores of a trace or one of its events: each with its value, source, author or end user, comment and time; and, for
// members, a form to add, edit or delete an annotation (source `annotation`) using the project's score configs.
import { useSignal } from "@preact/signals";
import type { ScoreConfig, ScoreView } from "../../contract/scores.ts";
import { api } from "../lib/api.ts";
import { shortTime, time } from "../lib/format.ts";
import { useAction } from "../lib/use-api.ts";
import { me, projectById } from "../state/session.ts";
import { ErrorNote } from "./ErrorNote.tsx";

const shown = (v: ScoreView["value"]) =>
  typeof v === "number" ? String(Math.round(v * 1000) / 1000) : typeof v === "boolean" ? (v ? "✓ true" : "✗ false") : v;

function who(s: ScoreView) {
  if (s.author_kind === "member") return s.author_id === me.value?.user.id ? "you" : "a member";
  if (s.user_id) return `user ${s.user_id}`;
  return s.author_kind === "ingest" ? "ingest key" : "secret key";
}

/** A typed value from the form: the config's kind decides; unconfigured, true/false and numbers read as such. */
function parseValue(raw: string, config: ScoreConfig | undefined): ScoreView["value"] {
  const kind = config?.kind;
  if (kind === "boolean" || (!kind && (raw === "true" || raw === "false"))) return raw === "true";
  if (kind === "numeric" || (!kind && raw.trim() !== "" && Number.isFinite(Number(raw)))) return Number(raw);
  return raw;
}

function ValueInput({ id, config, value }: { id: string; config: ScoreConfig | undefined; value: string }) {
  if (config?.kind === "boolean")
    return (
      <select id={id} name="value" value={value || "true"}>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  if (config?.kind === "categorical")
    return (
      <select id={id} name="value" value={value || config.categories?.[0]}>
        {config.categories?.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    );
  if (config?.kind === "numeric")
    return (
      <input
        id={id}
        name="value"
        type="number"
        step="any"
        required
        value={value}
        min={config.min ?? undefined}
        max={config.max ?? undefined}
      />
    );
  return <input id={id} name="value" required value={value} placeholder="0.8, true, or a label" />;
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
  const name = useSignal("");
  const formOpen = useSignal(false);
  const action = useAction();
  // The configs may load after the first render: until a name is picked, the first config's.
  const picked = editing.value?.name ?? (name.value || configs[0]?.name || "");
  const config = configs.find((c) => c.name === picked);
  const base = `/api/projects/${encodeURIComponent(project)}/scores` as const;
  const idBase = `score-${eventId ?? "trace"}`;

  const submit = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const scoreName = String(form.get("name") ?? "").trim();
    const chosen = configs.find((c) => c.name === scoreName);
    const comment = String(form.get("comment") ?? "").trim();
    void action.run(async (init) => {
      await api(base, {
        method: "POST",
        ...init,
        json: {
          ...(editing.value && { score_id: editing.value.score_id }),
          trace_id: traceId,
          event_id: eventId,
          name: scoreName,
          value: parseValue(String(form.get("value") ?? ""), chosen),
          comment: comment || null,
        },
      });
      editing.value = null;
      formOpen.value = false;
      onChange();
    });
  };
  const remove = (s: ScoreView) =>
    void action.run(async (init) => {
      await api(`${base}/${encodeURIComponent(s.score_id)}`, { ...init, method: "DELETE" });
      onChange();
    });
  const edit = (s: ScoreView) => {
    editing.value = s;
    name.value = s.name;
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
              <span class={`score-value k-${s.kind}`}>{shown(s.value)}</span>
              <span class="score-meta muted" title={time(s.timestamp)}>
                {s.source} · {who(s)} · {shortTime(s.timestamp)}
              </span>
              {s.comment && <span class="score-comment">{s.comment}</span>}
              {canAnnotate && (s.author_kind === "member" || admin) && (
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
      {canAnnotate && !formOpen.value && (
        <button type="button" onClick={() => (formOpen.value = true)}>
          Annotate
        </button>
      )}
      {canAnnotate && formOpen.value && (
        <form class="annotate" onSubmit={submit} key={editing.value?.score_id ?? "new"}>
          <label htmlFor={`${idBase}-name`}>
            Name
            {configs.length && !editing.value ? (
              <select
                id={`${idBase}-name`}
                name="name"
                value={picked}
                onChange={(e) => (name.value = e.currentTarget.value)}
              >
                {configs.map((c) => (
                  <option key={c.name} value={c.name}>
                    {c.name}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={`${idBase}-name`}
                name="name"
                required
                maxLength={200}
                value={picked}
                readOnly={Boolean(editing.value)}
                onInput={(e) => (name.value = e.currentTarget.value)}
              />
            )}
          </label>
          <label htmlFor={`${idBase}-value`}>
            Value
            <ValueInput
              id={`${idBase}-value`}
              config={config}
              value={editing.value ? String(editing.value.value) : ""}
            />
          </label>
          <label class="wide">
            Comment
            <input name="comment" maxLength={4000} value={editing.value?.comment ?? ""} />
          </label>
          {config?.description && <p class="muted wide">{config.description}</p>}
          <div class="wide form-actions">
            <button type="submit" class="primary" disabled={action.busy.value}>
              {editing.value ? "Save" : "Add score"}
            </button>
            <button
              type="button"
              onClick={() => {
                editing.value = null;
                formOpen.value = false;
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
