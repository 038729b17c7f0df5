// "Add a price" for a model the price table doesn't know, then re-price its past calls (the last 90 days).
import { useSignal } from "@preact/signals";
import { api } from "../lib/api.ts";
import { DAY_MS, HOUR_MS } from "../lib/format.ts";
import { recomputeCosts } from "../lib/recompute.ts";
import { useAction } from "../lib/use-api.ts";
import { ErrorNote } from "./ErrorNote.tsx";

const REPRICE_MS = 90 * DAY_MS;

type Props = { project: string; model: string; provider: string; onAdded: () => void };

export function AddPrice({ project, model, provider, onAdded }: Props) {
  const save = useAction();
  const status = useSignal("");
  return (
    <form
      class="inline"
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.target as HTMLFormElement);
        void save.run(async (init) => {
          await api("/api/v1/prices", {
            method: "POST",
            ...init,
            project,
            json: {
              model,
              provider: provider || null,
              rates: { input_mtok: Number(data.get("input")), output_mtok: Number(data.get("output")) },
            },
          });
          await recomputeCosts(
            project,
            Date.now() - REPRICE_MS,
            Date.now() + HOUR_MS,
            (n) => (status.value = `Re-priced ${n} call(s)…`),
          );
          onAdded();
        });
      }}
    >
      <label>
        $ / M input
        <input name="input" type="number" step="any" min="0" required />
      </label>
      <label>
        $ / M output
        <input name="output" type="number" step="any" min="0" required />
      </label>
      <button type="submit" class="primary" disabled={save.busy.value}>
        Add price
      </button>
      <span class="muted">{status.value}</span>
      <ErrorNote error={save.error} />
    </form>
  );
}
