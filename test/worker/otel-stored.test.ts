// What the OTLP route stores for every captured library export and a set of hostile spans, pinned: a faster decoder,
// mapper or validator must store exactly the same events and report the same rejections (inside workerd).
import { describe, expect, it } from "vitest";
import pinned from "../otel/fixtures/stored-events.json" with { type: "json" };
import { storedCases, storedOf } from "../support/otel-stored-cases.ts";

describe("stored OTLP events", () => {
  for (const [name, c] of Object.entries(storedCases())) {
    it(`stores the pinned events for ${name}`, () => {
      expect(JSON.parse(JSON.stringify(storedOf(c)))).toEqual(pinned[name as keyof typeof pinned]);
    });
  }
});
