// Settings → model prices: the project's overrides of the built-in price table (custom or fine-tuned models,
// negotiated prices), and re-pricing past calls after a change.
import { useSignal } from "@preact/signals";
import type { Price, Rate } from "../../contract/costs.ts";
import { ErrorNote } from "../components/ErrorNote.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { api } from "../lib/api.ts";
import { DAY_MS, HOUR_MS, isoDay } from "../lib/format.ts";
import { recomputeCosts } from "../lib/recompute.ts";
import { useAction, useApi } from "../lib/use-api.ts";

const RATES = [
  ["input_mtok", "Input"],
  ["output_mtok", "Output"],
  ["cache_read_mtok", "Cache read"],
  ["cache_write_mtok", "Cache write"],
] as const;
const show = (r: Rate | undefined) => (r === undefined ? "—" : typeof r === "number" ? `$${r}` : `$${r.base}+tiers`);
const rule = (m: Record<string, unknown>) =>
  Object.entries(m)
    .map(([k, v]) => `${k.replace("_", " ")} ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(", ");

export function Prices({ project, canEdit }: { project: string; canEdit: boolean }) {
  const list = useApi("/api/v1/prices", { project });
  const prices = list.data.value?.overrides ?? null;
  const action = useAction();
  const status = useSignal("");
  const recompute = () =>
    action.run(async () => {
      const updated = await recomputeCosts(
        project,
        Date.now() - 30 * DAY_MS,
        Date.now() + HOUR_MS,
        (n) => (status.value = `Re-pricing… ${n} call(s) updated`),
      );
      status.value = `Done: ${updated} call(s) of the last 30 days re-priced.`;
    });
  const columns: Array<Column<Price> | false> = [
    {
      label: "Model",
      title: (p) => `${p.model}${p.provider ? ` (${p.provider})` : ""}`,
      cell: (p) => (
        <>
          {p.model}
          {p.provider && <span class="muted"> ({p.provider})</span>}
        </>
      ),
    },
    { label: "Matches", priority: 3, title: (p) => rule(p.match), cell: (p) => rule(p.match) },
    {
      label: "From",
      width: "6.5rem",
      priority: 3,
      cell: (p) => (p.effective_from ? isoDay(p.effective_from) : "always"),
    },
    ...RATES.map(
      ([key, label]): Column<Price> => ({
        label: `${label} / M`,
        width: "6.2rem",
        numeric: true,
        priority: key === "input_mtok" || key === "output_mtok" ? 1 : 2,
        title: (p) => show(p.rates[key]),
        cell: (p) => show(p.rates[key]),
      }),
    ),
    canEdit && {
      label: "Actions",
      header: <span class="sr-only">Actions</span>,
      width: "7rem",
      class: "actions",
      cell: (p) => (
        <button
          type="button"
          class="danger"
          onClick={() =>
            action.run(async (init) => {
              await api(`/api/v1/prices/${p.id}`, { ...init, project, method: "DELETE" });
              list.reload();
            })
          }
        >
          Delete
        </button>
      ),
    },
  ];
  return (
    <section data-testid="prices">
      <h2>Model prices</h2>
      <p class="muted">
        Costs come from the built-in price table (1,293 models); prices here override it for this project, from their
        effective date, for calls that arrive from now on. Re-price past calls after a change.
      </p>
      <ErrorNote error={list.error} />
      <ErrorNote error={action.error} />
      {prices && prices.length > 0 && <Table columns={columns} rows={prices} rowKey={(p) => p.id} />}
      {canEdit && (
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.target as HTMLFormElement;
            const data = new FormData(form);
            const text = (k: string) => String(data.get(k) ?? "").trim();
            const rates = Object.fromEntries(RATES.filter(([k]) => text(k) !== "").map(([k]) => [k, Number(text(k))]));
            void action.run(async (init) => {
              await api("/api/v1/prices", {
                method: "POST",
                ...init,
                project,
                json: {
                  model: text("model"),
                  provider: text("provider") || null,
                  match: { [text("kind")]: text("pattern") || text("model") },
                  ...(text("from") && { effective_from: text("from") }),
                  rates,
                },
              });
              form.reset();
              status.value = "Saved.";
              list.reload();
            });
          }}
        >
          <label>
            Model
            <input name="model" required placeholder="ft:gpt-4o-mini:acme" />
          </label>
          <label>
            Provider
            <input name="provider" placeholder="any" />
          </label>
          <label>
            Match
            <select name="kind">
              <option value="equals">exactly</option>
              <option value="starts_with">starts with</option>
              <option value="contains">contains</option>
              <option value="regex">regex</option>
            </select>
          </label>
          <label>
            Pattern
            <input name="pattern" placeholder="the model name" />
          </label>
          <label>
            From
            <input name="from" type="date" />
          </label>
          {RATES.map(([key, label]) => (
            <label key={key}>
              {label} $/M
              <input
                name={key}
                type="number"
                min="0"
                step="any"
                required={key === "input_mtok" || key === "output_mtok"}
              />
            </label>
          ))}
          <button type="submit" class="primary">
            Add price
          </button>
        </form>
      )}
      {canEdit && (
        <p>
          <button type="button" onClick={() => void recompute()}>
            Re-price the last 30 days
          </button>{" "}
          <span class="muted" role="status">
            {status.value}
          </span>
        </p>
      )}
    </section>
  );
}
