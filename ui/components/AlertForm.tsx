// Creating or editing an alert rule, with a live preview: the metric over the last 7 days against the threshold and
// how many times the rule would have fired.
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { Alert, AlertChannelInput, AlertCreate, AlertPreview } from "../../contract/alerts.ts";
import {
  choicesWith,
  GROUP_BYS,
  METRIC_LABELS,
  METRICS,
  OPS,
  RENOTIFY,
  SCORE_AVG,
  scoreName,
  WINDOWS,
  windowLabel,
} from "../lib/alerts.ts";
import { api } from "../lib/api.ts";
import { useAction } from "../lib/use-api.ts";
import { ErrorNote } from "./ErrorNote.tsx";
import { ThresholdChart } from "./ThresholdChart.tsx";

type Draft = Required<Omit<AlertCreate, "channels" | "filters">> & {
  channels: AlertChannelInput[];
  filters: Record<string, string>;
};
const FILTERS = [
  ["type", "Type"],
  ["model", "Model"],
  ["name", "Event name"],
  ["user_id", "User"],
  ["environment", "Environment"],
  ["release", "Release"],
] as const;

const draftOf = (a?: Alert): Draft => ({
  name: a?.name ?? "",
  metric: a?.metric ?? "cost",
  filters: Object.fromEntries(Object.entries(a?.filters ?? {}).map(([k, v]) => [k, (v ?? []).join(", ")])),
  window_minutes: a?.window_minutes ?? 60,
  op: a?.op ?? ">",
  threshold: a?.threshold ?? 1,
  min_count: a?.min_count ?? 1,
  group_by: a?.group_by ?? null,
  renotify_minutes: a?.renotify_minutes ?? null,
  enabled: a?.enabled ?? true,
  channels: (a?.channels ?? []).map((c) =>
    c.type === "email" ? { type: c.type, to: c.to } : { type: c.type, url: c.url },
  ),
});

const filtersOf = (d: Draft) =>
  Object.fromEntries(
    Object.entries(d.filters).flatMap(([k, v]) => {
      const values = v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      return values.length ? [[k, values]] : [];
    }),
  );

export function AlertForm({
  project,
  alert,
  onSaved,
  onCancel,
}: {
  project: string;
  alert?: Alert;
  onSaved: (alert: Alert, secret: string | null) => void;
  onCancel: () => void;
}) {
  const draft = useSignal<Draft>(draftOf(alert));
  const preview = useSignal<AlertPreview | null>(null);
  const previewError = useSignal<string | null>(null);
  const save = useAction();
  const d = draft.value;
  const score = scoreName(d.metric);
  const set = (patch: Partial<Draft>) => (draft.value = { ...draft.value, ...patch });
  // What the preview judges: the rule without its name, channels and notification settings.
  const { name: _name, channels: _channels, renotify_minutes: _renotify, enabled: _enabled, ...rule } = d;
  const judged = { ...rule, filters: filtersOf(d) };
  const key = JSON.stringify(judged);
  useEffect(() => {
    const abort = new AbortController();
    const timer = setTimeout(async () => {
      try {
        preview.value = await api(`/api/projects/${project}/alerts/preview`, {
          method: "POST",
          json: judged,
          signal: abort.signal,
        });
        previewError.value = null;
      } catch (err) {
        if (abort.signal.aborted) return;
        // The last preview was of another rule: it gives way to why this one can't be judged.
        preview.value = null;
        previewError.value = String((err as Error).message ?? err);
      }
    }, 400);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [key]);

  const submit = (e: Event) => {
    e.preventDefault();
    void save.run(async (init) => {
      const body = { ...d, filters: filtersOf(d) };
      if (alert) {
        const res = await api(`/api/projects/${project}/alerts/${alert.id}`, {
          ...init,
          method: "PATCH",
          json: body,
        });
        onSaved(res.alert, null);
      } else {
        const res = await api(`/api/projects/${project}/alerts`, { method: "POST", ...init, json: body });
        onSaved(res.alert, res.signing_secret);
      }
    });
  };
  const setChannel = (i: number, c: AlertChannelInput) =>
    set({ channels: d.channels.map((old, j) => (j === i ? c : old)) });
  const num = (e: Event) => Number((e.target as HTMLInputElement).value);
  const val = (e: Event) => (e.target as HTMLInputElement).value;

  return (
    <form class="alert-form card" onSubmit={submit} data-testid="alert-form">
      <h3>{alert ? `Edit “${alert.name}”` : "New alert"}</h3>
      <div class="alert-grid">
        <label class="wide">
          Name
          <input required value={d.name} onInput={(e) => set({ name: val(e) })} placeholder="Any user over $5 a day" />
        </label>
        <label>
          Metric
          <select
            value={score === null ? d.metric : SCORE_AVG}
            onChange={(e) =>
              set({ metric: (val(e) === SCORE_AVG ? `${SCORE_AVG}${score ?? ""}` : val(e)) as Draft["metric"] })
            }
          >
            {METRICS.map((m) => (
              <option key={m} value={m}>
                {METRIC_LABELS[m]}
              </option>
            ))}
            <option value={SCORE_AVG}>Score (average)</option>
          </select>
        </label>
        {score !== null && (
          <label>
            Score name
            <input
              required
              value={score}
              placeholder="helpfulness"
              onInput={(e) => set({ metric: `${SCORE_AVG}${val(e).trim()}` as Draft["metric"] })}
            />
          </label>
        )}
        <label>
          Window
          <select value={d.window_minutes} onChange={(e) => set({ window_minutes: num(e) })}>
            {choicesWith(WINDOWS, d.window_minutes, windowLabel).map(([m, text]) => (
              <option key={m} value={m}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <label>
          Comparison
          <select value={d.op} onChange={(e) => set({ op: val(e) as Draft["op"] })}>
            {OPS.map((op) => (
              <option key={op} value={op}>
                {op}
              </option>
            ))}
          </select>
        </label>
        <label>
          Threshold
          <input type="number" step="any" required value={d.threshold} onInput={(e) => set({ threshold: num(e) })} />
        </label>
        <label>
          Min. events
          <input type="number" min="0" value={d.min_count} onInput={(e) => set({ min_count: num(e) })} />
        </label>
        <label>
          Per
          <select value={d.group_by ?? ""} onChange={(e) => set({ group_by: (val(e) || null) as Draft["group_by"] })}>
            <option value="">whole project</option>
            {GROUP_BYS.map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </label>
        <label>
          Renotify
          <select value={d.renotify_minutes ?? ""} onChange={(e) => set({ renotify_minutes: val(e) ? num(e) : null })}>
            <option value="">never</option>
            {choicesWith(RENOTIFY, d.renotify_minutes, (m) => `every ${windowLabel(m)}`).map(([m, text]) => (
              <option key={m} value={m}>
                {text}
              </option>
            ))}
          </select>
        </label>
        {FILTERS.map(([k, label]) => (
          <label key={k}>
            {label}
            <input
              value={d.filters[k] ?? ""}
              placeholder="any"
              onInput={(e) => set({ filters: { ...d.filters, [k]: val(e) } })}
            />
          </label>
        ))}
      </div>
      <fieldset class="channels">
        <legend>Notify</legend>
        {d.channels.map((c, i) => (
          <div class="channel-row" key={i}>
            <select
              aria-label="Channel type"
              value={c.type}
              onChange={(e) => {
                const type = val(e) as AlertChannelInput["type"];
                setChannel(i, type === "email" ? { type, to: "" } : { type, url: "" });
              }}
            >
              <option value="webhook">Webhook</option>
              <option value="slack">Slack</option>
              <option value="email">Email</option>
            </select>
            <input
              aria-label={c.type === "email" ? "Email address" : "URL"}
              required
              inputMode={c.type === "email" ? "email" : "url"}
              placeholder={c.type === "email" ? "oncall@example.com" : "https://…"}
              value={c.type === "email" ? c.to : c.url}
              onInput={(e) =>
                setChannel(i, c.type === "email" ? { type: c.type, to: val(e) } : { type: c.type, url: val(e) })
              }
            />
            <button type="button" onClick={() => set({ channels: d.channels.filter((_, j) => j !== i) })}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" onClick={() => set({ channels: [...d.channels, { type: "webhook", url: "" }] })}>
          Add channel
        </button>
      </fieldset>
      <div class="preview" data-testid="alert-preview" aria-live="polite">
        {preview.value ? (
          <>
            <p>
              Would have fired <strong>{preview.value.would_have_fired}</strong>{" "}
              {preview.value.would_have_fired === 1 ? "time" : "times"} in the last {preview.value.days} days.
            </p>
            <ThresholdChart
              tall
              points={preview.value.points.map((p) => [p.at, p.value])}
              threshold={d.threshold}
              op={d.op}
              label="The metric over the last 7 days against the threshold"
            />
          </>
        ) : (
          <p class="muted">{previewError.value ?? "Computing the preview…"}</p>
        )}
      </div>
      <ErrorNote error={save.error} />
      <div class="actions-row">
        <label class="check">
          <input
            type="checkbox"
            checked={d.enabled}
            onChange={(e) => set({ enabled: (e.target as HTMLInputElement).checked })}
          />
          Enabled
        </label>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="primary" disabled={save.busy.value}>
          {alert ? "Save" : "Create alert"}
        </button>
      </div>
    </form>
  );
}
