import { calcPrice } from "@pydantic/genai-prices";
import { beforeAll, describe, expect, it } from "vitest";
import { matches } from "../../src/costs/match.ts";
import { costOf, findModel, ratesAt } from "../../src/costs/price.ts";
import { builtinPrices } from "../../src/costs/table.ts";
import type { ModelPrices } from "../../src/costs/types.ts";
import { db } from "./fixtures.ts";

/** The built-in table as the consumer sees it: the `prices` rows the migrations loaded into D1. */
let table: ModelPrices[];
beforeAll(async () => {
  table = await builtinPrices(db);
});

describe("price matching", () => {
  it("evaluates equals, prefixes, suffixes, substrings, regexes, and/or, case-insensitively", () => {
    expect(matches({ equals: "gpt-4o" }, "GPT-4o")).toBe(true);
    expect(matches({ equals: "gpt-4o" }, "gpt-4o-mini")).toBe(false);
    expect(matches({ starts_with: "claude-3" }, "claude-3-haiku")).toBe(true);
    expect(matches({ ends_with: "-latest" }, "mistral-large-latest")).toBe(true);
    expect(matches({ contains: "opus" }, "claude-opus-4-6")).toBe(true);
    expect(matches({ regex: "^gpt-5\\.6-\\d+$" }, "gpt-5.6-2026")).toBe(true);
    expect(matches({ and: [{ starts_with: "gpt" }, { contains: "mini" }] }, "gpt-4o")).toBe(false);
    expect(matches({ or: [{ equals: "a" }, { equals: "b" }] }, "b")).toBe(true);
  });

  it("prefers an exact rule over a pattern, and the caller's provider when the table has the model under it", () => {
    const t: ModelPrices[] = [
      {
        provider: "openai",
        model: "family",
        match: { starts_with: "gpt-4o" },
        periods: [{ from: 0, rates: { input_mtok: 9 } }],
      },
      {
        provider: "openai",
        model: "mini",
        match: { equals: "gpt-4o-mini" },
        periods: [{ from: 0, rates: { input_mtok: 1 } }],
      },
      {
        provider: "azure",
        model: "mini-azure",
        match: { equals: "gpt-4o-mini" },
        periods: [{ from: 0, rates: { input_mtok: 2 } }],
      },
    ];
    expect(findModel(t, "gpt-4o-mini", "openai")?.model).toBe("mini");
    expect(findModel(t, "gpt-4o-mini", "azure")?.model).toBe("mini-azure");
    expect(findModel(t, "gpt-4o-2024-08-06", "openai")?.model).toBe("family");
    // A provider the table doesn't know for this model (wrong, or a proxy's host name): the model name decides.
    expect(findModel(t, "gpt-4o-mini", "anthropic")?.model).toBe("mini");
    expect(findModel(t, "gpt-4o-mini")?.model).toBe("mini");
  });

  it("uses the price in force at the event's time (effective dates)", () => {
    const entry: ModelPrices = {
      provider: "x",
      model: "m",
      match: { equals: "m" },
      periods: [
        { from: 0, rates: { input_mtok: 10 } },
        { from: Date.parse("2026-07-30"), rates: { input_mtok: 2 } },
      ],
    };
    expect(ratesAt(entry, Date.parse("2026-07-29"))?.input_mtok).toBe(10);
    expect(ratesAt(entry, Date.parse("2026-08-01"))?.input_mtok).toBe(2);
  });
});

describe("cost", () => {
  it("charges uncached input, cached reads, cache writes and output at their own rates, plus per-request prices", () => {
    const rates = { input_mtok: 3, output_mtok: 15, cache_read_mtok: 0.3, cache_write_mtok: 3.75, requests_kcount: 1 };
    // 10,000 input of which 6,000 cached reads and 1,000 cache writes; 500 output.
    const cost = costOf(rates, {
      input_tokens: 10_000,
      output_tokens: 500,
      cached_input_tokens: 6000,
      cache_write_tokens: 1000,
    });
    expect(cost).toBeCloseTo((3000 * 3 + 6000 * 0.3 + 1000 * 3.75 + 500 * 15) / 1e6 + 0.001, 12);
  });

  it("falls back to the input rate for cached tokens when a model has no cache price", () => {
    expect(
      costOf({ input_mtok: 2, output_mtok: 8 }, { input_tokens: 1000, output_tokens: 0, cached_input_tokens: 400 }),
    ).toBeCloseTo(0.002, 12);
  });

  it("applies tiers by input tokens to every kind of token", () => {
    const tiered = {
      input_mtok: { base: 5, tiers: [{ start: 200_000, price: 10 }] },
      output_mtok: { base: 25, tiers: [{ start: 200_000, price: 37.5 }] },
    };
    expect(costOf(tiered, { input_tokens: 200_000, output_tokens: 1000 })).toBeCloseTo(
      (200_000 * 5 + 1000 * 25) / 1e6,
      12,
    );
    expect(costOf(tiered, { input_tokens: 200_001, output_tokens: 1000 })).toBeCloseTo(
      (200_001 * 10 + 1000 * 37.5) / 1e6,
      12,
    );
  });

  it("agrees with genai-prices' own calculator for the built-in table loaded from D1 (runs in workerd)", () => {
    expect(table.length).toBeGreaterThan(1_000);
    const cases: Array<[string, string, number, number, number]> = [
      ["gpt-4o", "openai", 12_000, 800, 4000],
      ["gpt-4o-mini", "openai", 3000, 200, 0],
      ["claude-sonnet-4-0", "anthropic", 50_000, 1200, 30_000],
      ["gemini-2.5-pro", "google", 250_000, 3000, 0],
      ["mistral-large-latest", "mistral", 5000, 500, 0],
    ];
    const at = Date.parse("2026-11-01");
    for (const [model, provider, input, output, cached] of cases) {
      const entry = findModel(table, model, provider);
      expect(entry, model).toBeDefined();
      const ours = costOf(ratesAt(entry!, at)!, {
        input_tokens: input,
        output_tokens: output,
        cached_input_tokens: cached,
      });
      const theirs = calcPrice({ input_tokens: input, output_tokens: output, cache_read_tokens: cached }, model, {
        providerId: provider,
        timestamp: new Date(at),
      });
      expect(theirs, model).not.toBeNull();
      expect(ours, model).toBeCloseTo(theirs!.total_price, 9);
    }
  });
});
