// Built-in and override prices share one shape: a match rule and prices per million tokens, possibly tiered by the
// request's input tokens, in force from a date.
export type MatchRule =
  | { equals: string }
  | { starts_with: string }
  | { ends_with: string }
  | { contains: string }
  | { regex: string }
  | { and: MatchRule[] }
  | { or: MatchRule[] };

/** A price per million tokens, or tiers: above `start` input tokens, `price` applies to all tokens of that kind. */
export type Rate = number | { base: number; tiers: { start: number; price: number }[] };

export type Rates = {
  input_mtok?: Rate;
  output_mtok?: Rate;
  cache_read_mtok?: Rate;
  cache_write_mtok?: Rate;
  /** per 1,000 requests */
  requests_kcount?: number;
};

export type ModelPrices = {
  provider: string;
  model: string;
  match: MatchRule;
  /** Newest first not required: the price in force at a time is the one with the latest `from` ≤ that time. */
  periods: { from: number; rates: Rates }[];
};

export type Usage = {
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens?: number | null;
  cache_write_tokens?: number | null;
};
