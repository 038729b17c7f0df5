// Gives every model call a cost: the client's if it sent one, else its usage priced by the project's override or the
// built-in table at the call's timestamp; `cost_source` says which (or `unknown_model`).
import type { CostSource } from "../../contract/constants.ts";
import type { QueueMessage } from "../../contract/queue.ts";
import type { ControlDb } from "../db/client.ts";
import { costOf, findModel, ratesAt } from "./price.ts";
import { builtinPrices, projectOverrides } from "./table.ts";
import type { ModelPrices } from "./types.ts";

type Priceable = {
  type: string;
  model: string | null;
  provider: string | null;
  ts: number;
  input_tokens: number | null;
  output_tokens: number | null;
  cached_input_tokens: number | null;
  cache_write_tokens: number | null;
};

/** The cost of one model call from the tables, or why there is none (null: not a priced call, e.g. no usage). */
export function priceCall(
  e: Priceable,
  overrides: readonly ModelPrices[],
  builtin: readonly ModelPrices[],
): { cost: number; source: CostSource } | { cost: null; source: CostSource | null } {
  if (e.type !== "model_response" || !e.model || e.input_tokens === null || e.output_tokens === null)
    return { cost: null, source: null };
  const usage = {
    input_tokens: e.input_tokens,
    output_tokens: e.output_tokens,
    cached_input_tokens: e.cached_input_tokens,
    cache_write_tokens: e.cache_write_tokens,
  };
  const found = resolveRates(e.model, e.provider, e.ts, overrides, builtin);
  return found ? { cost: costOf(found.rates, usage), source: found.source } : { cost: null, source: "unknown_model" };
}

/** The rates a model gets at a time: the project's override first, then the built-in table. */
export function resolveRates(
  model: string,
  provider: string | null,
  at: number,
  overrides: readonly ModelPrices[],
  builtin: readonly ModelPrices[],
) {
  for (const [table, source] of [
    [overrides, "override"],
    [builtin, "price_table"],
  ] as const) {
    const entry = findModel(table, model, provider);
    const rates = entry && ratesAt(entry, at);
    if (rates) return { rates, source, price: entry };
  }
  return undefined;
}

/** Prices the model calls of queue messages in place, before the consumer writes them (what ingest uses of costs). */
export async function priceQueuedEvents(db: ControlDb, messages: QueueMessage[]) {
  const calls = messages.some((m) => m.events.some((e) => e.type === "model_response" && e.cost_source !== "client"));
  if (!calls) return;
  const [builtin, overrides] = await Promise.all([
    builtinPrices(db),
    projectOverrides(db, [...new Set(messages.map((m) => m.project_id))]),
  ]);
  for (const message of messages) {
    const own = overrides.get(message.project_id) ?? [];
    for (const event of message.events) {
      if (event.cost_source === "client") continue;
      const { cost, source } = priceCall(event, own, builtin);
      event.cost_usd = cost;
      event.cost_source = source;
    }
  }
}
