// `npm run prices:import`: regenerates src/costs/builtin-prices.json from @pydantic/genai-prices (MIT), the maintained
// price list. Update prices with `npm update @pydantic/genai-prices && npm run prices:import`, then deploy.
import { findProvider } from "@pydantic/genai-prices";
import { writeFileSync } from "node:fs";
import type { ModelPrices, Rates } from "../src/costs/types.ts";

/** The providers we import; a provider the package drops is reported, not silently lost. */
const PROVIDERS = [
  "openai", "anthropic", "google", "mistral", "groq", "deepseek", "x-ai", "cohere", "together", "fireworks",
  "perplexity", "azure", "aws", "cerebras", "moonshotai", "zai", "openrouter", "novita", "voyageai",
];
const KEYS = ["input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok", "requests_kcount"] as const;

function pick(prices: Record<string, unknown>): Rates {
  const rates: Record<string, unknown> = {};
  for (const key of KEYS) if (prices[key] !== undefined) rates[key] = JSON.parse(JSON.stringify(prices[key]));
  return rates as Rates;
}

const table: ModelPrices[] = [];
for (const id of PROVIDERS) {
  const provider = findProvider({ providerId: id });
  if (!provider) {
    console.warn(`genai-prices has no provider "${id}" any more`);
    continue;
  }
  for (const model of provider.models) {
    const periods = Array.isArray(model.prices)
      ? model.prices
          .filter((p) => !p.constraint || p.constraint.type === "start_date")
          .map((p) => ({ from: p.constraint?.type === "start_date" ? Date.parse(p.constraint.start_date) : 0, rates: pick(p.prices) }))
      : [{ from: 0, rates: pick(model.prices) }];
    if (periods.length) table.push({ provider: id, model: model.id, match: model.match as ModelPrices["match"], periods });
  }
}
writeFileSync("src/costs/builtin-prices.json", JSON.stringify(table) + "\n");
console.log(`wrote ${table.length} models from ${PROVIDERS.length} providers to src/costs/builtin-prices.json`);
