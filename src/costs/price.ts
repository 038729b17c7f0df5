// Choosing the price of a model call and computing its cost.

import type { Rate, Rates } from "../../contract/costs.ts";
import { isExact, matches } from "./match.ts";
import type { ModelPrices, Usage } from "./types.ts";

/** The entry for a model: provider must agree when both are known ("" = any); exact rules beat patterns; first wins. */
export function findModel(
  table: readonly ModelPrices[],
  model: string,
  provider?: string | null,
): ModelPrices | undefined {
  const candidates = table.filter(
    (m) => (!provider || !m.provider || m.provider === provider.toLowerCase()) && matches(m.match, model),
  );
  return candidates.find((m) => isExact(m.match, model)) ?? candidates[0];
}

/** The rates in force at `at` (epoch ms): the period with the latest start not after it. */
export function ratesAt(entry: ModelPrices, at: number): Rates | undefined {
  let best: { from: number; rates: Rates } | undefined;
  for (const period of entry.periods) if (period.from <= at && (!best || period.from > best.from)) best = period;
  return best?.rates;
}

function rate(r: Rate | undefined, inputTokens: number): number | undefined {
  if (r === undefined || typeof r === "number") return r;
  let price = r.base;
  for (const tier of r.tiers) if (inputTokens > tier.start) price = tier.price;
  return price;
}

/**
 * Cost in USD. `input_tokens` includes cached reads and cache writes (OpenAI's convention), so those are taken out
 * of the uncached part and charged at their own rates, falling back to the input rate where a model has none.
 */
export function costOf(rates: Rates, usage: Usage): number {
  const input = usage.input_tokens;
  const cached = usage.cached_input_tokens ?? 0;
  const written = usage.cache_write_tokens ?? 0;
  const inputRate = rate(rates.input_mtok, input) ?? 0;
  const uncached = Math.max(0, input - cached - written);
  const perMillion =
    uncached * inputRate +
    cached * (rate(rates.cache_read_mtok, input) ?? inputRate) +
    written * (rate(rates.cache_write_mtok, input) ?? inputRate) +
    usage.output_tokens * (rate(rates.output_mtok, input) ?? 0);
  return perMillion / 1e6 + (rates.requests_kcount ?? 0) / 1000;
}
