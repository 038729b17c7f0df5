// Settings → score configs: what a score of a given name may be (numeric with a range, boolean, or categorical with
// its labels). Scores sent with a configured name and a value outside it are rejected; annotation forms use them.
import { useSignal } from "@preact/signals";
import type { ScoreConfig, ScoreKind } from "../../contract/scores.ts";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { api } from "../lib/api.ts";
import { useAction, useApi } from "../lib/use-api.ts";

const rule = (c: ScoreConfig) =>
  c.kind === "numeric"
    ? `${c.min ?? "−∞"} to ${c.max ?? "∞"}`
    : c.kind === "categorical"
      ? (c.categories ?? []).join(", ")
      : "true / false";

export function ScoreConfigs({ project, canEdit }: { project: string; canEdit: boolean }) {
  const base = `/api/projects/${encodeURIComponent(project)}/score-configs` as const;
  const list = useApi(base);
  const kind = useSignal<ScoreKind>("numeric");
  const action = useAction();
  const configs = list.data.value?.configs ?? null;

  const save = (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const num = (k: string) => (String(f.get(k) ?? "").trim() === "" ? null : Number(f.get(k)));
    const description = String(f.get("description") ?? "").trim() || null;
    const body =
      kind.value === "numeric"
        ? { kind: "numeric" as const, min: num("min"), max: num("max"), description }
        : kind.value === "categorical"
          ? {
              kind: "categorical" as const,
              categories: String(f.get("categories") ?? "")
                .split(",")
                .map((c) => c.trim())
                .filter(Boolean),
              description,
            }
          : { kind: "boolean" as const, description };
    void action.run(async (init) => {
      await api(`${base}/${encodeURIComponent(String(f.get("name")).trim())}`, { ...init, method: "PUT", json: body });
      form.reset();
      list.reload();
    });
  };
  const remove = (name: string) =>
    void action.run(async (init) => {
      await api(`${base}/${encodeURIComponent(name)}`, { ...init, method: "DELETE" });
      list.reload();
    });

  const columns: Array<Column<ScoreConfig> | false> = [
    { label: "Name", title: (c) => c.name, cell: (c) => c.name },
    { label: "Kind", width: "7rem", cell: (c) => c.kind },
    { label: "Allowed", title: rule, cell: rule },
    { label: "Description", priority: 2, title: (c) => c.description, cell: (c) => c.description ?? "" },
    canEdit && {
      label: "Delete",
      header: <span class="sr-only">Delete</span>,
      width: "5rem",
      cell: (c) => (
        <button type="button" class="link danger" onClick={() => remove(c.name)} aria-label={`Delete ${c.name}`}>
          Delete
        </button>
      ),
    },
  ];

  return (
    <section class="score-configs" data-testid="score-configs">
      <h2>Score configs</h2>
      <p class="muted">
        Scores with a configured name must fit it; the trace page's annotation form offers these names and values.
      </p>
      <ErrorNote error={list.error} />
      <ErrorNote error={action.error} />
      {configs?.length ? (
        <Table columns={columns} rows={configs} rowKey={(c) => c.name} testId="score-config-table" />
      ) : (
        configs && <p class="muted">No score configs yet: any name and value is taken.</p>
      )}
      {canEdit && (
        <form class="annotate" onSubmit={save}>
          <label>
            Name
            <input name="name" required maxLength={200} placeholder="e.g. quality" />
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
    </section>
  );
}
