// What the gateway's cache saved: each hit priced as the call it replaced would have been (the project's override or
// the built-in price at the hit's time, for its recorded tokens). Hits of a model without a price are counted apart.
import type { CacheHitGroup } from "../db/queries/cache-savings.ts";
import { resolveRates } from "./enrich.ts";
import { costOf } from "./price.ts";
import type { ModelPrices } from "./types.ts";

export type CacheSavings = { hits: number; cost: number; unpriced_hits: number };

export function cacheSavings(
  groups: CacheHitGroup[],
  overrides: Map<string, ModelPrices[]>,
  builtin: readonly ModelPrices[],
): CacheSavings {
  const savings: CacheSavings = { hits: 0, cost: 0, unpriced_hits: 0 };
  for (const g of groups) {
    savings.hits += g.hits;
    const found =
      g.model && g.input_tokens !== null && g.output_tokens !== null
        ? resolveRates(g.model, g.provider, g.ts, overrides.get(g.project_id) ?? [], builtin)
        : undefined;
    if (!found) {
      savings.unpriced_hits += g.hits;
      continue;
    }
    const usage = {
      input_tokens: g.input_tokens!,
      output_tokens: g.output_tokens!,
      cached_input_tokens: g.cached_input_tokens,
      cache_write_tokens: g.cache_write_tokens,
    };
    savings.cost += g.hits * costOf(found.rates, usage);
  }
  return savings;
}
