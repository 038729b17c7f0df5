// Settings → score configs: what a score of a given name may be (numeric with a range, boolean, or categorical with
// its labels). Scores sent with a configured name and a value outside it are rejected; annotation forms use them.
import { useSignal } from "@preact/signals";
import type { ScoreConfig, ScoreKind } from "../../contract/scores.ts";
import { actionsColumn, DangerButton, onFields, Panel, textColumn, useList } from "../components/ListForm.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { api } from "../lib/api.ts";

const rule = (c: ScoreConfig) =>
  c.kind === "numeric"
    ? `${c.min ?? "−∞"} to ${c.max ?? "∞"}`
    : c.kind === "categorical"
      ? (c.categories ?? []).join(", ")
      : "true / false";

export function ScoreConfigs({ project, canEdit }: { project: string; canEdit: boolean }) {
  const base = `/api/projects/${encodeURIComponent(project)}/score-configs` as const;
  const { list, action, change, remove, errors } = useList(base);
  const kind = useSignal<ScoreKind>("numeric");
  const configs = list.data.value?.configs ?? null;

  const save = onFields((field, form) => {
    const num = (k: string) => (field(k) === "" ? null : Number(field(k)));
    const description = field("description") || null;
    const body =
      kind.value === "numeric"
        ? { kind: "numeric" as const, min: num("min"), max: num("max"), description }
        : kind.value === "categorical"
          ? {
              kind: "categorical" as const,
              categories: field("categories")
                .split(",")
                .map((c) => c.trim())
                .filter(Boolean),
              description,
            }
          : { kind: "boolean" as const, description };
    void change(async (init) => {
      await api(`${base}/${encodeURIComponent(field("name"))}`, { ...init, method: "PUT", json: body });
      form.reset();
    });
  });

  const columns: Array<Column<ScoreConfig> | false> = [
    textColumn("Name", (c) => c.name),
    { label: "Kind", width: "7rem", cell: (c) => c.kind },
    textColumn("Allowed", rule),
    textColumn("Description", (c) => c.description ?? "", { priority: 2 }),
    canEdit &&
      actionsColumn((c) => (
        <DangerButton
          text="Delete"
          label={`Delete ${c.name}`}
          onClick={() => remove(`${base}/${encodeURIComponent(c.name)}`)}
        />
      )),
  ];

  return (
    <Panel
      class="score-configs"
      data-testid="score-configs"
      title="Score configs"
      intro="Scores with a configured name must fit it; the trace page's annotation form offers these names and values."
      errors={errors}
    >
      {configs?.length ? (
        <Table columns={columns} rows={configs} rowKey={(c) => c.name} testId="score-config-table" />
      ) : (
        configs && <p class="muted">No score configs yet: any name and value is taken.</p>
      )}
      {canEdit && (
        <form class="annotate" onSubmit={save}>
          <label>
            Name
            <input
              name="name"
              required
              maxLength={200}
              pattern=".*\S.*"
              title="A name (not only spaces)"
              placeholder="e.g. quality"
            />
          </label>
          <label>
            Kind
            <select name="kind" value={kind.value} onChange={(e) => (kind.value = e.currentTarget.value as ScoreKind)}>
              <option value="numeric">numeric</option>
              <option value="boolean">boolean</option>
              <option value="categorical">categorical</option>
            </select>
          </label>
          {kind.value === "numeric" && (
            <>
              <label>
                Min
                <input name="min" type="number" step="any" />
              </label>
              <label>
                Max
                <input name="max" type="number" step="any" />
              </label>
            </>
          )}
          {kind.value === "categorical" && (
            <label class="wide">
              Values (comma-separated)
              <input name="categories" required placeholder="good, bad, unsure" />
            </label>
          )}
          <label class="wide">
            Description
            <input name="description" maxLength={1000} />
          </label>
          <div class="wide form-actions">
            <button type="submit" class="primary" disabled={action.busy.value}>
              Save config
            </button>
          </div>
        </form>
      )}
    </Panel>
  );
}
