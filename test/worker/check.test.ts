// The quick check of built events (src/ingest/check.ts) against the contract's schema: on every event it accepts, the
// schema accepts the same event unchanged; on edge values of every bounded field it accepts only what the schema does.
import { describe, expect, it } from "vitest";
import { wireEvent } from "../../contract/event.ts";
import { LIMITS, TIME_RANGE } from "../../contract/limits.ts";
import { quickCheck } from "../../src/ingest/check.ts";

const base = {
  event_id: "0123456789abcdef",
  trace_id: "0123456789abcdef0123456789abcdef",
  parent_event_id: null,
  type: "model_response",
  name: "chat",
  timestamp: 1_764_000_000_000.123,
  duration_ms: 5.5,
  status: "ok",
  body: { input: [{ role: "user", content: "hi" }], output: { role: "assistant", content: "ok" } },
  context: { user_id: "u", session_id: "s", environment: "prod", release: "1", tags: ["a"], metadata: { k: 1 } },
  model: "gpt-4o-mini",
  provider: "openai",
  usage: { input_tokens: 1, output_tokens: 2, cached_input_tokens: 0 },
  cost_usd: 0.001,
  first_token_ms: 12,
};
const deep = (n: number): unknown => (n === 0 ? 1 : { a: deep(n - 1) });
const long = (n: number) => "x".repeat(n);

const variants: Array<[string, Record<string, unknown>]> = [
  ["as built", {}],
  ["no optional fields", { parent_event_id: undefined, name: undefined, status: undefined, body: undefined }],
  ["nulls", { body: null, context: null, model: null, provider: null, usage: null, cost_usd: null }],
  ["empty id", { event_id: "" }],
  ["id at its limit", { event_id: long(LIMITS.maxIdChars) }],
  ["id over its limit", { event_id: long(LIMITS.maxIdChars + 1) }],
  ["control character in an id", { trace_id: "a\nb" }],
  ["lone surrogate in an id", { parent_event_id: "a\uD800" }],
  ["emoji in an id", { event_id: "a\u{1F600}" }],
  ["unknown type", { type: "trace" }],
  ["empty name", { name: "" }],
  ["null name", { name: null }],
  ["name at its limit", { name: long(LIMITS.maxNameChars) }],
  ["name over its limit", { name: long(LIMITS.maxNameChars + 1) }],
  ["timestamp at the start", { timestamp: TIME_RANGE.min }],
  ["timestamp before 2000", { timestamp: TIME_RANGE.min - 1 }],
  ["timestamp after 2100", { timestamp: TIME_RANGE.max + 1 }],
  ["timestamp as text", { timestamp: "2025-01-01T00:00:00Z" }],
  ["NaN timestamp", { timestamp: Number.NaN }],
  ["negative duration", { duration_ms: -1 }],
  ["infinite duration", { duration_ms: Number.POSITIVE_INFINITY }],
  ["duration over 30 days", { duration_ms: 30 * 86_400_000 + 1 }],
  ["null status", { status: null }],
  ["unknown status", { status: "warn" }],
  ["model over its limit", { model: long(129) }],
  ["provider over its limit", { provider: long(65) }],
  ["negative first token", { first_token_ms: -0.5 }],
  ["cost over its limit", { cost_usd: 1e6 + 1 }],
  ["negative cost", { cost_usd: -1 }],
  ["fractional tokens", { usage: { input_tokens: 1.5, output_tokens: 0 } }],
  ["tokens over their limit", { usage: { input_tokens: 1e12 + 1, output_tokens: 0 } }],
  ["usage without output", { usage: { input_tokens: 1 } }],
  ["usage with null cache", { usage: { input_tokens: 1, output_tokens: 1, cache_write_tokens: null } }],
  ["usage with an unknown key", { usage: { input_tokens: 1, output_tokens: 1, reasoning: 3 } }],
  ["array body", { body: [1] }],
  ["body 100 deep", { body: { a: deep(99) } }],
  ["body 101 deep", { body: { a: deep(100) } }],
  ["context 101 deep", { context: { metadata: { a: deep(99) } } }],
  ["user id over its limit", { context: { user_id: long(257) } }],
  ["environment over its limit", { context: { environment: long(LIMITS.maxEnvironmentChars + 1) } }],
  ["release over its limit", { context: { release: long(LIMITS.maxReleaseChars + 1) } }],
  ["too many tags", { context: { tags: Array.from({ length: LIMITS.maxTags + 1 }, () => "t") } }],
  ["tag over its limit", { context: { tags: [long(LIMITS.maxTagChars + 1)] } }],
  ["null tags", { context: { tags: null } }],
  ["array metadata", { context: { metadata: [1] } }],
  ["extra context keys", { context: { user_id: "u", anything: { else: true } } }],
  ["an unknown key", { extra: 1 }],
];

describe("quick check of built events", () => {
  for (const [name, change] of variants) {
    it(`agrees with the schema: ${name}`, () => {
      const event = { ...base, ...change };
      const quick = quickCheck(event);
      const schema = wireEvent.safeParse(event);
      if (quick) {
        expect(schema.success).toBe(true);
        expect(JSON.parse(JSON.stringify(quick))).toEqual(JSON.parse(JSON.stringify(schema.data)));
      }
    });
  }

  it("accepts the events the OTLP mapper makes", () => {
    expect(quickCheck(base)).toBe(base);
    expect(quickCheck({ ...base, context: { user_id: "u", metadata: { a: { b: [1, 2] } } } })).toBeDefined();
  });

  it("leaves every event the schema refuses to the schema", () => {
    const refused = variants.filter(([, change]) => !wireEvent.safeParse({ ...base, ...change }).success);
    expect(refused.length).toBeGreaterThan(30);
    for (const [, change] of refused) expect(quickCheck({ ...base, ...change })).toBeUndefined();
  });
});
