// Large OTLP JSON bodies parsed in pieces (src/otel/json-pieces.ts) against JSON.parse of the whole body, inside
// workerd: the same value whenever the pieces give one, and no value (the caller parses whole and fails the same way)
// for anything JSON.parse refuses, on crafted edge cases and on random mutations of a valid body.
import { describe, expect, it } from "vitest";
import { rng } from "../../bench/generate.ts";
import { parseInPieces } from "../../src/otel/json-pieces.ts";

const encode = (text: string) => new TextEncoder().encode(text);
const whole = (bytes: Uint8Array): unknown => {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return "refused";
  }
};

/** Strings a naive splitter would trip on: brackets, commas, quotes, backslashes, the key itself, non-ASCII. */
const TRICKY = [
  'say "hi", then {go} [now]',
  "ends with a backslash \\",
  '"spans":[{"x":1}],',
  '\\\\"],[{',
  "naïve — 日本語 🚀",
  "},{",
];

function span(i: number) {
  return {
    traceId: `${(i + 1).toString(16).padStart(8, "0")}${"ab".repeat(12)}`,
    spanId: `${(i + 1).toString(16).padStart(8, "0")}cdcdcdcd`,
    name: `step ${i}`,
    startTimeUnixNano: "1764000000000000000",
    endTimeUnixNano: "1764000000005000000",
    attributes: [
      { key: "gen_ai.operation.name", value: { stringValue: "chat" } },
      { key: "tricky", value: { stringValue: TRICKY[i % TRICKY.length] } },
      {
        key: "gen_ai.input.messages",
        value: { stringValue: JSON.stringify([{ role: "user", content: "x".repeat(300) }]) },
      },
      { key: "n", value: { intValue: String(i) } },
    ],
    events: i % 7 ? [] : [{ name: "log", timeUnixNano: "1764000000001000000", attributes: [] }],
    status: { code: i % 5 ? 1 : 2 },
  };
}

/** An export of `count` spans over two resources with two scopes each. */
function exportOf(count: number) {
  const scope = (from: number, to: number) => ({
    scope: { name: "lib", version: "1" },
    spans: Array.from({ length: to - from }, (_, k) => span(from + k)),
  });
  const q = Math.floor(count / 4);
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "a" } }] },
        scopeSpans: [scope(0, q), scope(q, 2 * q)],
      },
      { resource: { attributes: [] }, scopeSpans: [scope(2 * q, 3 * q), scope(3 * q, count)] },
    ],
  };
}

const big = JSON.stringify(exportOf(600));

function expectSame(text: string | Uint8Array) {
  const bytes = typeof text === "string" ? encode(text) : text;
  const pieces = parseInPieces(bytes, "spans");
  const expected = whole(bytes);
  if (pieces === undefined) return "whole";
  expect(expected).not.toBe("refused");
  expect(pieces).toStrictEqual(expected);
  return "pieces";
}

describe("OTLP JSON parsed in pieces", () => {
  it("gives what JSON.parse gives for a large export, cut into several groups", () => {
    expect(big.length).toBeGreaterThan(300_000);
    expect(expectSame(big)).toBe("pieces");
    expect(expectSame(JSON.stringify(exportOf(600), null, 2))).toBe("pieces");
    expect(expectSame(`\uFEFF${big}`)).toBe("pieces");
  });

  it("reads log exports' records in pieces the same way", () => {
    const record = (i: number) => ({
      timeUnixNano: "1764000000000000000",
      body: { stringValue: `${TRICKY[i % 6]} ${"x".repeat(200)}` },
    });
    const logs = {
      resourceLogs: [
        { resource: {}, scopeLogs: [{ scope: {}, logRecords: Array.from({ length: 600 }, (_, i) => record(i)) }] },
      ],
    };
    const bytes = encode(JSON.stringify(logs));
    expect(parseInPieces(bytes, "logRecords")).toStrictEqual(logs);
  });

  it("leaves small bodies, bodies without scope spans and bodies of thousands of scopes to JSON.parse", () => {
    expect(parseInPieces(encode(JSON.stringify(exportOf(8))), "spans")).toBeUndefined();
    expect(parseInPieces(encode(JSON.stringify({ other: "x".repeat(100_000) })), "spans")).toBeUndefined();
    // Thousands of tiny scopes would cost a parse each: parsed whole.
    const scopes = Array.from({ length: 5_000 }, () => ({ spans: [span(1)] }));
    expect(parseInPieces(encode(JSON.stringify({ resourceSpans: [{ scopeSpans: scopes }] })), "spans")).toBeUndefined();
    const few = Array.from({ length: 200 }, () => ({ spans: [span(1)] }));
    expect(expectSame(JSON.stringify({ resourceSpans: [{ scopeSpans: few }] }))).toBe("pieces");
  });

  it("refuses what JSON.parse refuses", () => {
    const cases = {
      "trailing comma in spans": big.replace(/}\]}\]}]}$/, "},]}]}]}"),
      "leading comma in spans": big.replace('"spans":[{', '"spans":[,{'),
      "a brace closing spans": big.replace(/}\]}\]}]}$/, "}}}]}]}"),
      "unclosed string": big.slice(0, -20),
      "trailing garbage": `${big}x`,
      "a second BOM": `\uFEFF\uFEFF${big}`,
      "a BOM inside": big.replace('"spans":[', '"spans":\uFEFF['),
    };
    for (const [name, text] of Object.entries(cases)) {
      expect(whole(encode(text)), name).toBe("refused");
      expect(parseInPieces(encode(text), "spans"), name).toBeUndefined();
    }
  });

  it("keeps JSON.parse's answer for duplicate keys, escaped keys, other depths and non-array spans", () => {
    const dup = big.replace(
      '"scope":{"name":"lib","version":"1"}',
      '"spans":[{"name":"dropped"}],"scope":{"name":"lib"}',
    );
    expect(expectSame(dup)).toBe("pieces");
    // An escaped "spans" key, and a non-array one: left to JSON.parse, which keeps the last of the duplicates.
    expect(expectSame(big.replace('"spans":[{', '"sp\\u0061ns":0,"spans":[{'))).toBe("whole");
    expect(
      expectSame(big.replace(/"spans":\[/g, (m, at: number) => (at > big.length / 2 ? '"spans":7,"spans":[' : m))),
    ).toBe("whole");
    expect(expectSame(big.replace('"resource":{', '"resource":{"x":[{"spans":[1,2]}],'))).toBe("pieces");
    expect(expectSame(`{"extra":[[[{"spans":[1]}]]],${big.slice(1)}`)).toBe("pieces");
  });

  it("gives JSON.parse's answer or none for random mutations of a large export", () => {
    const rand = rng(29);
    const bytes = encode(JSON.stringify(exportOf(160)));
    expect(bytes.length).toBeGreaterThan(65_536);
    const inserts = encode('{}[],":\\ \n\u00e9');
    const outcomes = { pieces: 0, whole: 0 };
    for (let round = 0; round < 300; round++) {
      const at = Math.floor(rand() * bytes.length);
      const kind = Math.floor(rand() * 3);
      const cut = kind === 0 ? 1 : 0;
      const added = kind === 1 ? [inserts[Math.floor(rand() * inserts.length)]!] : kind === 2 ? [0x20, 0x0a] : [];
      const mutated = new Uint8Array(bytes.length - cut + added.length);
      mutated.set(bytes.subarray(0, at));
      mutated.set(added, at);
      mutated.set(bytes.subarray(at + cut), at + added.length);
      outcomes[expectSame(mutated)] += 1;
    }
    // Most mutations leave valid JSON (inside strings, whitespace) and must still be read in pieces.
    expect(outcomes.pieces).toBeGreaterThan(100);
  });
});
