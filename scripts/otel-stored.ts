// npm run otel:stored: rewrites test/otel/fixtures/stored-events.json, what the OTLP route stores for the pinned cases
// (test/support/otel-stored-cases.ts). Run it only when a change to the stored events is meant; review the diff.
import { writeFileSync } from "node:fs";
import { storedCases, storedOf } from "../test/support/otel-stored-cases.ts";

const out = Object.fromEntries(Object.entries(storedCases()).map(([name, c]) => [name, storedOf(c)]));
writeFileSync(
  new URL("../test/otel/fixtures/stored-events.json", import.meta.url),
  `${JSON.stringify(out, null, 1)}\n`,
);
