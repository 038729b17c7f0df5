// The cost a provider reports itself in its usage. (Token usage is normalised by contract/providers.ts, for every way in.)

type Raw = Record<string, unknown>;

/** A cost the provider put in its usage (OpenRouter's `usage.cost`), in USD. */
export function reportedCost(raw: unknown): number | undefined {
  const cost = raw && typeof raw === "object" ? (raw as Raw).cost : undefined;
  return typeof cost === "number" && Number.isFinite(cost) && cost >= 0 ? cost : undefined;
}
