// Langfuse usage and cost, read as leniently as Langfuse reads them: bad values (null, negative, fractional token
// counts, text that is not a number) are dropped and the rest kept; OpenAI's usage objects (Chat Completions and
// Responses) are taken as `usageDetails`. The result is Langfuse's own `usage_details` / `cost_details` (with the
// total filled in when the client left it out), kept as sent, and WatchLLM's usage and cost derived from them.
import type { Usage } from "../../contract/event.ts";
import type { LangfuseObservation } from "../../contract/langfuse.ts";

type Counts = Record<string, number>;
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const count = (v: unknown) => {
  if (typeof v === "number") return Number.isInteger(v) && v >= 0 ? v : undefined;
  if (typeof v === "string") {
    const n = Number.parseInt(v, 10);
    return Number.isNaN(n) || n < 0 ? undefined : n;
  }
  return undefined;
};
const nonEmpty = (o: Counts) => (Object.keys(o).length ? o : undefined);

/** OpenAI's shapes: `prompt_tokens`/`completion_tokens` (or `input_tokens`/`output_tokens`) with their details. */
function openAiUsage(d: Record<string, unknown>): Counts | undefined {
  const [inKey, outKey, inDetails, outDetails] =
    "prompt_tokens" in d
      ? ["prompt_tokens", "completion_tokens", "prompt_tokens_details", "completion_tokens_details"]
      : ["input_tokens", "output_tokens", "input_tokens_details", "output_tokens_details"];
  const input = count(d[inKey]);
  const output = count(d[outKey]);
  const total = count(d.total_tokens);
  if (input === undefined || output === undefined || total === undefined) return undefined;
  const out: Counts = { input, output, total };
  for (const [side, details] of [
    ["input", d[inDetails]],
    ["output", d[outDetails]],
  ] as const) {
    if (!isObject(details)) continue;
    for (const [k, v] of Object.entries(details)) {
      const n = count(v);
      if (n === undefined) continue;
      out[`${side}_${k}`] = n;
      out[side] = Math.max((out[side] ?? 0) - n, 0);
    }
  }
  return out;
}

function usageDetailsOf(raw: unknown): Counts | undefined {
  if (!isObject(raw)) return undefined;
  if ("prompt_tokens" in raw || "input_tokens" in raw) {
    const openAi = openAiUsage(raw);
    if (openAi) return openAi;
  }
  const out: Counts = {};
  for (const [k, v] of Object.entries(raw)) {
    const n = count(v);
    if (n !== undefined) out[k] = n;
  }
  return nonEmpty(out);
}

function costDetailsOf(raw: unknown): Counts | undefined {
  if (!isObject(raw)) return undefined;
  const out: Counts = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === "number" && Number.isFinite(v) && v >= 0) out[k] = v;
  return nonEmpty(out);
}

const withTotal = (o: Counts | undefined) => {
  if (!o) return undefined;
  if (o.total !== undefined) return o;
  return { ...o, total: Object.values(o).reduce((a, b) => a + b, 0) };
};

/** What an observation says about usage and cost, as Langfuse keeps it and as WatchLLM's fields. */
export function usageAndCost(o: LangfuseObservation) {
  const u = o.usage;
  const fromUsage: Counts = {};
  const legacyIn = u?.promptTokens ?? u?.input;
  const legacyOut = u?.completionTokens ?? u?.output;
  const legacyTotal = u?.totalTokens ?? u?.total;
  for (const [k, v] of [
    ["input", legacyIn],
    ["output", legacyOut],
    ["total", legacyTotal],
  ] as const) {
    const n = count(v);
    if (n !== undefined) fromUsage[k] = n;
  }
  const provided = nonEmpty({ ...fromUsage, ...usageDetailsOf(o.usageDetails) });
  const usageDetails = withTotal(provided);
  const legacyCost: Counts = {};
  for (const [k, v] of [
    ["input", u?.inputCost],
    ["output", u?.outputCost],
    ["total", u?.totalCost],
  ] as const) {
    if (typeof v === "number" && Number.isFinite(v) && v >= 0) legacyCost[k] = v;
  }
  const costDetails = withTotal(nonEmpty({ ...legacyCost, ...costDetailsOf(o.costDetails) }));
  return { usageDetails, costDetails, usage: wireUsage(provided), cost: costDetails?.total };
}

/** Langfuse's usage keys as WatchLLM's tokens: cached and cache-write tokens counted inside input, as OpenAI does. */
function wireUsage(d: Counts | undefined): Usage | undefined {
  if (!d) return undefined;
  let input = 0;
  let output = 0;
  let cached = 0;
  let cacheWrite = 0;
  let seen = false;
  for (const [k, n] of Object.entries(d)) {
    if (k === "total") continue;
    const key = k.toLowerCase();
    const isCacheWrite = key.includes("cache_creation") || key.includes("cache_write");
    const isCacheRead = !isCacheWrite && key.includes("cache");
    if (key.startsWith("output") || key === "reasoning" || key.startsWith("completion")) output += n;
    else if (key.startsWith("input") || key.startsWith("prompt") || isCacheRead || isCacheWrite) input += n;
    else continue;
    seen = true;
    if (isCacheRead && !key.startsWith("output")) cached += n;
    if (isCacheWrite) cacheWrite += n;
  }
  if (!seen) return undefined;
  return {
    input_tokens: input,
    output_tokens: output,
    ...(cached && { cached_input_tokens: cached }),
    ...(cacheWrite && { cache_write_tokens: cacheWrite }),
  };
}
