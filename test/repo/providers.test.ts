// The provider module (contract/providers.ts) that every way in uses: one name per provider (the price table's), usage
// of every provider family read the same way, fractional counts rounded; and the field names it documents for the
// Python SDK's generated table are the ones it reads.
import { describe, expect, it } from "vitest";
import {
  impliedProvider,
  normalizeProvider,
  normalizeUsage,
  providerOfHost,
  USAGE_FIELDS,
} from "../../contract/providers.ts";

describe("provider ids", () => {
  it("name xAI as the price table does, whatever the caller calls it", () => {
    expect(["xai", "x_ai", "x-ai", "XAI"].map(normalizeProvider)).toEqual(["x-ai", "x-ai", "x-ai", "x-ai"]);
    expect(providerOfHost("api.x.ai")).toBe("x-ai");
    expect(impliedProvider("grok-4")).toBe("x-ai");
  });

  it("read a model's namespace through the aliases, else its name's prefix", () => {
    expect(impliedProvider("mistralai/mistral-large")).toBe("mistral");
    expect(impliedProvider("anthropic/claude-3-5-sonnet")).toBe("anthropic");
    expect(impliedProvider("meta-llama/llama-3-70b")).toBeUndefined();
    expect(impliedProvider("my-fine-tune")).toBeUndefined();
    expect(providerOfHost("evil-openai.com.example")).toBeUndefined();
  });
});

describe("usage", () => {
  it("reads DeepSeek's cache hits and Gemini's cached content", () => {
    expect(normalizeUsage({ prompt_tokens: 100, completion_tokens: 5, prompt_cache_hit_tokens: 60 })).toEqual({
      input_tokens: 100,
      output_tokens: 5,
      cached_input_tokens: 60,
    });
    expect(normalizeUsage({ promptTokenCount: 40, candidatesTokenCount: 3, cachedContentTokenCount: 32 })).toEqual({
      input_tokens: 40,
      output_tokens: 3,
      cached_input_tokens: 32,
    });
  });

  it("rounds fractional counts (half up) and drops negative or non-numeric ones", () => {
    expect(normalizeUsage({ prompt_tokens: 812.5, completion_tokens: 2.4, prompt_tokens_details: {} })).toEqual({
      input_tokens: 813,
      output_tokens: 2,
      cached_input_tokens: 0,
    });
    expect(normalizeUsage({ input_tokens: -3, output_tokens: "7", cache_read_input_tokens: 1.5 })).toEqual({
      input_tokens: 2,
      output_tokens: 0,
      cached_input_tokens: 2,
      cache_write_tokens: 0,
    });
  });

  it("reads every field name the Python SDK's table lists", () => {
    const o = USAGE_FIELDS.openai;
    expect(normalizeUsage({ [o.input]: 10, [o.output]: 2, [o.details]: { [o.cached]: 4 } })?.cached_input_tokens).toBe(
      4,
    );
    expect(normalizeUsage({ [o.input]: 10, [o.cacheHit]: 6 })?.cached_input_tokens).toBe(6);
    const a = USAGE_FIELDS.anthropic;
    expect(normalizeUsage({ input_tokens: 1, [a.read]: 2, [a.written]: 3 })).toMatchObject({
      input_tokens: 6,
      cached_input_tokens: 2,
      cache_write_tokens: 3,
    });
    const r = USAGE_FIELDS.responses;
    expect(normalizeUsage({ [r.input]: 9, [r.output]: 1, [r.details]: { [r.cached]: 5 } })).toEqual({
      input_tokens: 9,
      output_tokens: 1,
      cached_input_tokens: 5,
    });
    const g = USAGE_FIELDS.gemini;
    expect(normalizeUsage({ [g.input]: 7, [g.output]: 2, [g.cached]: 3 })).toEqual({
      input_tokens: 7,
      output_tokens: 2,
      cached_input_tokens: 3,
    });
  });
});
