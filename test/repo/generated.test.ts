// What is generated from the contract (the SDK's wire types, the event table in docs/api.md) is what the contract
// says now.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generated } from "../../scripts/gen-contract.ts";

describe("files generated from the contract", () => {
  for (const [path, content] of generated()) {
    it(`${path} is fresh (npm run gen:contract)`, () => {
      expect(readFileSync(path, "utf8")).toBe(content);
    });
  }
});
