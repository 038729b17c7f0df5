// Settings → model prices: the project's overrides of the built-in price table (custom or fine-tuned models,
// negotiated prices), and re-pricing past calls after a change.
import { useSignal } from "@preact/signals";
import type { Price, Rate } from "../../contract/costs.ts";
import { actionsColumn, DangerButton, onFields, Panel, textColumn, useList } from "../components/ListForm.tsx";
import { type Column, Table } from "../components/Table.tsx";
import { api } from "../lib/api.ts";
import { DAY_MS, HOUR_MS, isoDay } from "../lib/format.ts";

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
  const { list, action, change, remove, errors } = useList("/api/v1/prices", { project });
  const prices = list.data.value?.overrides ?? null;
  const status = useSignal("");
  const recompute = () =>
    action.run(async () => {
      // The re-pricing loop loads with the code used on demand (chunks/on-use.ts), as "add a price" does.
      const updated = await import("./chunks/on-use.ts").then((m) =>
        m.recomputeCosts(
          project,
          Date.now() - 30 * DAY_MS,
          Date.now() + HOUR_MS,
          (n) => (status.value = `Re-pricing… ${n} call(s) updated`),
        ),
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
    textColumn("Matches", (p) => rule(p.match), { priority: 3 }),
    {
      label: "From",
      width: "6.5rem",
      priority: 3,
      cell: (p) => (p.effective_from ? isoDay(p.effective_from) : "always"),
    },
    ...RATES.map(
      ([key, label]): Column<Price> =>
        textColumn(`${label} / M`, (p) => show(p.rates[key]), {
          width: "6.2rem",
          numeric: true,
          priority: key === "input_mtok" || key === "output_mtok" ? 1 : 2,
        }),
    ),
    canEdit && actionsColumn((p) => <DangerButton text="Delete" onClick={() => remove(`/api/v1/prices/${p.id}`)} />),
  ];
  return (
    <Panel
      data-testid="prices"
      title="Model prices"
      intro="Costs come from the built-in price table (1,293 models); prices here override it for this project, from their effective date, for calls that arrive from now on. Re-price past calls after a change."
      errors={errors}
    >
      {prices && prices.length > 0 && <Table columns={columns} rows={prices} rowKey={(p) => p.id} />}
      {canEdit && (
        <form
          class="inline"
          onSubmit={onFields((text, form) => {
            const rates = Object.fromEntries(RATES.filter(([k]) => text(k) !== "").map(([k]) => [k, Number(text(k))]));
            void change(async (init) => {
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
            });
          })}
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
    </Panel>
  );
}
