// `npm run prices:import`: writes the built-in prices of @pydantic/genai-prices (MIT), the maintained price list, as a
// new D1 migration that replaces the built-in rows of the `prices` table. Update prices with
// `npm update @pydantic/genai-prices && npm run prices:import`, then deploy (migrations apply first).

import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findProvider } from "@pydantic/genai-prices";
import type { Rates } from "../contract/costs.ts";
import type { ModelPrices } from "../src/costs/types.ts";
import { literal } from "./local-d1.ts";

/** The providers we import; a provider the package drops is reported, not silently lost. */
const PROVIDERS = [
  "openai",
  "anthropic",
  "google",
  "mistral",
  "groq",
  "deepseek",
  "x-ai",
  "cohere",
  "together",
  "fireworks",
  "perplexity",
  "azure",
  "aws",
  "cerebras",
  "moonshotai",
  "zai",
  "openrouter",
  "novita",
  "voyageai",
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
          .map((p) => ({
            from: p.constraint?.type === "start_date" ? Date.parse(p.constraint.start_date) : 0,
            rates: pick(p.prices),
          }))
      : [{ from: 0, rates: pick(model.prices) }];
    if (periods.length)
      table.push({ provider: id, model: model.id, match: model.match as ModelPrices["match"], periods });
  }
}
const rows = table.flatMap((m) =>
  m.periods.map((p, i) => [
    `builtin:${m.provider}:${m.model}:${i}`,
    m.provider,
    m.model,
    JSON.stringify(m.match),
    p.from,
    JSON.stringify(p.rates),
  ]),
);
const inserts: string[] = [];
for (let i = 0; i < rows.length; i += 100) {
  const values = rows.slice(i, i + 100).map((r) => `(${r.map((v) => literal(v as string | number)).join(", ")})`);
  inserts.push(`INSERT INTO prices (id, provider, model, match, effective_from, rates) VALUES\n${values.join(",\n")};`);
}
const version = (
  JSON.parse(readFileSync("node_modules/@pydantic/genai-prices/package.json", "utf8")) as { version: string }
).version;
execFileSync("drizzle-kit", ["generate", "--custom", "--name", `builtin_prices_${version.replaceAll(".", "_")}`], {
  stdio: "ignore",
});
const file = join(
  "migrations",
  readdirSync("migrations")
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .at(-1)!,
);
writeFileSync(
  file,
  `${[
    `-- Built-in prices from @pydantic/genai-prices ${version} (${table.length} models, ${rows.length} price periods), written by \`npm run prices:import\`.`,
    "DELETE FROM prices WHERE project_id IS NULL;",
    ...inserts,
  ].join("\n--> statement-breakpoint\n")}\n`,
);
console.log(
  `wrote ${table.length} models (${rows.length} price periods) from ${PROVIDERS.length} providers to ${file}`,
);
