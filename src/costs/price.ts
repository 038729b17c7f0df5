// Choosing the price of a model call and computing its cost.

import type { Rate, Rates } from "../../contract/costs.ts";
import { impliedProvider } from "../../contract/providers.ts";
import { isExact, matches } from "./match.ts";
import type { ModelPrices, Usage } from "./types.ts";

/** A dated or moving snapshot's base name (`-2024-07-18`, `-20241022`, `@20241022`, `-latest`), if it is one. */
export function snapshotBase(model: string): string | undefined {
  const base = model.replace(/[-@](\d{4}-\d{2}-\d{2}|\d{8})$/, "").replace(/-latest$/i, "");
  return base !== model && base ? base : undefined;
}

/** Exact rules beat patterns; among equals, the implied provider's entry; else the table's order. */
function best(candidates: readonly ModelPrices[], name: string, prefer: string | undefined) {
  const exact = candidates.filter((m) => isExact(m.match, name));
  const pool = exact.length ? exact : candidates;
  return pool.find((m) => m.provider === prefer) ?? pool[0];
}

const memo = new WeakMap<readonly ModelPrices[], Map<string, ModelPrices | null>>();
const MEMO_SIZE = 5_000;

/**
 * The price entry for a model. The caller's provider counts when the table knows it ("" entries fit any provider);
 * when it is unknown (a proxy's or local server's host name) or wrong, the model name decides, preferring the provider
 * the name implies (`gpt-…` → openai, `claude-…` → anthropic). A dated snapshot without an entry of its own gets its
 * base model's. Results are memoized per table (tables are cached per isolate).
 */
export function findModel(
  table: readonly ModelPrices[],
  model: string,
  provider?: string | null,
): ModelPrices | undefined {
  const key = `${provider ?? ""}\u0000${model}`;
  let seen = memo.get(table);
  if (!seen) {
    seen = new Map();
    memo.set(table, seen);
  }
  const cached = seen.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const found = lookup(table, model, provider?.toLowerCase() || undefined);
  if (seen.size >= MEMO_SIZE) seen.clear();
  seen.set(key, found ?? null);
  return found;
}

function lookup(table: readonly ModelPrices[], model: string, provider: string | undefined) {
  const known = provider !== undefined && table.some((m) => m.provider === provider);
  for (const name of [model, snapshotBase(model)]) {
    if (name === undefined) continue;
    const matching = table.filter((m) => matches(m.match, name, m.builtin));
    if (!matching.length) continue;
    if (known) {
      const own = matching.filter((m) => !m.provider || m.provider === provider);
      if (own.length) return best(own, name, provider);
    }
    return best(matching, name, impliedProvider(name));
  }
  return undefined;
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
