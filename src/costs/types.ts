// The matcher's in-memory price table: built-in and override prices share one shape, a match rule and rates per
// million tokens (the contract's shapes), in force from a date.
import type { MatchRule, Rates } from "../../contract/costs.ts";

export type ModelPrices = {
  provider: string;
  model: string;
  match: MatchRule;
  /** From the built-in table (reviewed, shipped in migrations), not a project's override. */
  builtin?: boolean;
  /** Newest first not required: the price in force at a time is the one with the latest `from` ≤ that time. */
  periods: { from: number; rates: Rates }[];
};

export type Usage = {
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens?: number | null;
  cache_write_tokens?: number | null;
};
