// The form that adds a score to a trace or an event, or edits one (Scores.tsx shows the list): the name from the
// project's score configs, a value input of the config's kind, a comment. Its own chunk, loaded when first opened.
import { useSignal } from "@preact/signals";
import type { ScoreConfig, ScoreView } from "../../contract/scores.ts";
import { api } from "../lib/api.ts";
import { useAction } from "../lib/use-api.ts";
import { ErrorNote } from "./ErrorNote.tsx";

/** A typed value from the form: the config's kind decides; unconfigured, true/false and numbers read as such. */
function parseValue(raw: string, config: ScoreConfig | undefined): ScoreView["value"] {
  const kind = config?.kind;
  if (kind === "boolean" || (!kind && (raw === "true" || raw === "false"))) return raw === "true";
  if (kind === "numeric" || (!kind && raw.trim() !== "" && Number.isFinite(Number(raw)))) return Number(raw);
  return raw;
}

/**
 * The value's input, of the config's kind. Uncontrolled (the form is read with FormData on submit): the form renders
 * again as the name is typed or picked and while it is sent, and a controlled input would lose what was typed.
 */
function ValueInput({ id, config, value }: { id: string; config: ScoreConfig | undefined; value: string }) {
  const options = (values: readonly string[], initial: string) =>
    values.map((c) => (
      <option key={c} value={c} selected={c === initial}>
        {c}
      </option>
    ));
  if (config?.kind === "boolean")
    return (
      <select id={id} name="value">
        {options(["true", "false"], value || "true")}
      </select>
    );
  if (config?.kind === "categorical")
    return (
      <select id={id} name="value">
        {options(config.categories ?? [], value || config.categories?.[0] || "")}
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
        defaultValue={value}
        min={config.min ?? undefined}
        max={config.max ?? undefined}
      />
    );
  return <input id={id} name="value" required defaultValue={value} placeholder="0.8, true, or a label" />;
}

type Props = {
  project: string;
  traceId: string;
  eventId: string | null;
  configs: ScoreConfig[];
  /** The score being edited; null adds one. */
  editing: ScoreView | null;
  /** Closes the form; `saved` when a score was added or changed. */
  onDone: (saved: boolean) => void;
};

export function ScoreForm({ project, traceId, eventId, configs, editing, onDone }: Props) {
  const name = useSignal(editing?.name ?? "");
  const action = useAction();
  // The configs may load after the first render: until a name is picked, the first config's.
  const picked = editing?.name ?? (name.value || configs[0]?.name || "");
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
          ...(editing && { score_id: editing.score_id }),
          trace_id: traceId,
          event_id: eventId,
          name: scoreName,
          value: parseValue(String(form.get("value") ?? ""), chosen),
          comment: comment || null,
        },
      });
      onDone(true);
    });
  };
  return (
    <>
      <ErrorNote error={action.error} />
      <form class="annotate" onSubmit={submit}>
        <label htmlFor={`${idBase}-name`}>
          Name
          {configs.length && !editing ? (
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
              readOnly={Boolean(editing)}
              onInput={(e) => (name.value = e.currentTarget.value)}
            />
          )}
        </label>
        <label htmlFor={`${idBase}-value`}>
          Value
          <ValueInput id={`${idBase}-value`} config={config} value={editing ? String(editing.value) : ""} />
        </label>
        <label class="wide">
          Comment
          <input name="comment" maxLength={4000} defaultValue={editing?.comment ?? ""} />
        </label>
        {config?.description && <p class="muted wide">{config.description}</p>}
        <div class="wide form-actions">
          <button type="submit" class="primary" disabled={action.busy.value}>
            {editing ? "Save" : "Add score"}
          </button>
          <button type="button" onClick={() => onDone(false)}>
            Cancel
          </button>
        </div>
      </form>
    </>
  );
}
