// What the OTLP route stores for every captured library export and a set of hostile spans, pinned: a faster decoder,
// mapper or validator must store exactly the same events and report the same rejections (inside workerd); the JSON
// exports again with their bodies large enough to be parsed in pieces.
import { describe, expect, it } from "vitest";
import { parseInPieces } from "../../src/otel/json-pieces.ts";
import pinned from "../otel/fixtures/stored-events.json" with { type: "json" };
import { storedCases, storedOf } from "../support/otel-stored-cases.ts";

/**
 * The body with 70 KB of whitespace after each `"spans":[`: past the size from which JSON is parsed in pieces
 * (src/otel/json-pieces.ts), with each scope's first group cut after its first span. The same JSON value.
 */
function padded(bytes: Uint8Array): Uint8Array {
  const text = new TextDecoder().decode(bytes).replaceAll('"spans":[', `"spans":[${" ".repeat(70_000)}`);
  expect(JSON.parse(text)).toEqual(JSON.parse(new TextDecoder().decode(bytes)));
  const out = new TextEncoder().encode(text);
  expect(parseInPieces(out, "spans")).toBeDefined();
  return out;
}

describe("stored OTLP events", () => {
  for (const [name, c] of Object.entries(storedCases())) {
    it(`stores the pinned events for ${name}`, () => {
      expect(JSON.parse(JSON.stringify(storedOf(c)))).toEqual(pinned[name as keyof typeof pinned]);
    });
    if (c.encoding !== "json") continue;
    it(`stores the pinned events for ${name} read in pieces`, () => {
      const bodies = c.bodies.map(padded);
      expect(JSON.parse(JSON.stringify(storedOf({ ...c, bodies })))).toEqual(pinned[name as keyof typeof pinned]);
    });
  }
});
